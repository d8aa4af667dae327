/**
 * Which Python runs the server. Pure: every VS Code / Python-extension access is injected so the
 * order of precedence can be unit-tested without VS Code.
 *
 * Order:
 *  1. `ssotLsp.interpreter` (array: executable + leading args). In an untrusted workspace only the
 *     user-level (global) value counts; workspace / folder values could run arbitrary programs.
 *  2. The Python extension's active interpreter (ms-python.python), only if installed and trusted.
 *  3. `python3`.
 */

export type InterpreterSource = 'setting' | 'python-extension' | 'default';

export interface ResolvedInterpreter {
  /** executable followed by leading arguments, e.g. ["/usr/bin/python3"] or ["uv", "run", "python"] */
  command: string[];
  source: InterpreterSource;
}

/** Shape of `WorkspaceConfiguration.inspect('interpreter')` that we use. */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export interface InterpreterDeps {
  inspect(): InspectedSetting<unknown> | undefined;
  isTrusted: boolean;
  /** Returns the Python extension's interpreter executable, or undefined. Only called when trusted. */
  pythonExtensionInterpreter(): Promise<string | undefined>;
  log?(message: string): void;
}

export const DEFAULT_INTERPRETER = 'python3';

/** A valid interpreter setting is a non-empty array of non-empty strings. */
export function normaliseInterpreterSetting(value: unknown): string[] | undefined {
  if (typeof value === 'string') {
    return value.trim() === '' ? undefined : [value.trim()];
  }
  if (!Array.isArray(value) || value.length === 0) {
    return undefined;
  }
  if (!value.every((v) => typeof v === 'string')) {
    return undefined;
  }
  const parts = (value as string[]).map((v) => v);
  if (parts[0].trim() === '') {
    return undefined;
  }
  return parts;
}

/** The setting value that applies, honouring workspace trust. */
export function effectiveInterpreterSetting(
  inspected: InspectedSetting<unknown> | undefined,
  isTrusted: boolean,
): string[] | undefined {
  if (!inspected) {
    return undefined;
  }
  const candidates = isTrusted
    ? [inspected.workspaceFolderValue, inspected.workspaceValue, inspected.globalValue]
    : [inspected.globalValue];
  for (const c of candidates) {
    const n = normaliseInterpreterSetting(c);
    if (n) {
      return n;
    }
  }
  return undefined;
}

export async function resolveInterpreter(deps: InterpreterDeps): Promise<ResolvedInterpreter> {
  const fromSetting = effectiveInterpreterSetting(deps.inspect(), deps.isTrusted);
  if (fromSetting) {
    return { command: fromSetting, source: 'setting' };
  }
  if (deps.isTrusted) {
    try {
      const exe = await deps.pythonExtensionInterpreter();
      if (exe && exe.trim() !== '') {
        return { command: [exe], source: 'python-extension' };
      }
    } catch (err) {
      deps.log?.(`Python extension interpreter lookup failed: ${String(err)}`);
    }
  }
  return { command: [DEFAULT_INTERPRETER], source: 'default' };
}

/** Minimal shape of the ms-python.python public API (environments part). */
export interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: unknown): { id?: string; path: string } | undefined;
  resolveEnvironment(
    env: unknown,
  ): Promise<{ executable?: { uri?: { fsPath: string } } } | undefined>;
}

export interface PythonExtensionLike {
  isActive: boolean;
  exports: unknown;
  activate(): Thenable<unknown> | Promise<unknown>;
}

/** Ask the Python extension (if any) for its active interpreter's executable path. */
export async function interpreterFromPythonExtension(
  ext: PythonExtensionLike | undefined,
  resource?: unknown,
): Promise<string | undefined> {
  if (!ext) {
    return undefined;
  }
  const exports = (ext.isActive ? ext.exports : await ext.activate()) as
    | { environments?: PythonEnvironmentsApi }
    | undefined;
  const envs = exports?.environments;
  if (!envs || typeof envs.getActiveEnvironmentPath !== 'function') {
    return undefined;
  }
  const active = envs.getActiveEnvironmentPath(resource);
  if (!active) {
    return undefined;
  }
  const resolved = await envs.resolveEnvironment(active);
  return resolved?.executable?.uri?.fsPath ?? undefined;
}

/** `<interpreter...> -I -m ssot_lsp serve` split into command and args. */
export function serverCommand(interpreter: string[]): { command: string; args: string[] } {
  return { command: interpreter[0], args: [...interpreter.slice(1), '-I', '-m', 'ssot_lsp', 'serve'] };
}

/** `<interpreter...> -I -c "import ssot_lsp"` used to check the module before launching. */
export function probeCommand(interpreter: string[]): { command: string; args: string[] } {
  return { command: interpreter[0], args: [...interpreter.slice(1), '-I', '-c', 'import ssot_lsp'] };
}

export type ProbeFailure =
  | { kind: 'interpreter-missing'; detail: string }
  | { kind: 'module-missing'; detail: string }
  | { kind: 'other'; detail: string };

/** Quote one shell word for display in a message. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\-./:=@+]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The single error message shown when the server cannot start, telling what to run. */
export function startFailureMessage(interpreter: string[], failure: ProbeFailure): string {
  const py = interpreter.map(shellQuote).join(' ');
  switch (failure.kind) {
    case 'interpreter-missing':
      return (
        `SSOT: the Python interpreter "${py}" was not found. Set "ssotLsp.interpreter" to a Python ` +
        `that has ssot-lsp installed (e.g. ["/path/to/venv/bin/python"]), or install Python 3 and run ` +
        `\`python3 -m pip install ssot-lsp\`.`
      );
    case 'module-missing':
      return (
        `SSOT: the module ssot_lsp is not installed for "${py}". Run \`${py} -m pip install ssot-lsp\` ` +
        `(or \`${py} -m pip install -e <path-to-ssot-lsp-repo>\`), or set "ssotLsp.interpreter".`
      );
    default:
      return (
        `SSOT: the language server could not start with "${py}" (${failure.detail}). ` +
        `Check that \`${py} -I -m ssot_lsp serve\` runs; install it with \`${py} -m pip install ssot-lsp\`.`
      );
  }
}

/** Classify the result of the probe process. */
export function classifyProbe(result: {
  errorCode?: string | number | null;
  exitCode?: number | null;
  stderr?: string;
}): ProbeFailure | undefined {
  if (result.errorCode === 'ENOENT' || result.errorCode === 'EACCES') {
    return { kind: 'interpreter-missing', detail: String(result.errorCode) };
  }
  if (result.errorCode !== undefined && result.errorCode !== null && typeof result.errorCode === 'string') {
    return { kind: 'other', detail: result.errorCode };
  }
  if (result.exitCode === 0) {
    return undefined;
  }
  const stderr = result.stderr ?? '';
  if (/ModuleNotFoundError|No module named/.test(stderr)) {
    return { kind: 'module-missing', detail: lastLine(stderr) };
  }
  if (result.exitCode === 127) {
    return { kind: 'interpreter-missing', detail: lastLine(stderr) || 'exit 127' };
  }
  return { kind: 'other', detail: lastLine(stderr) || `exit code ${String(result.exitCode)}` };
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1] ?? '';
}
