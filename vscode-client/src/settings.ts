/**
 * The `ssotLsp` settings as the server sees them (docs/protocol.md, "Settings"). Pure: validates and
 * normalises whatever VS Code hands us (user JSON can hold anything) so the server always gets
 * well-typed values, and reports what was wrong.
 */

export const SECTION = 'ssotLsp';

export const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const LOG_LEVELS = ['error', 'warning', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DIAGNOSTIC_MODES = ['openFiles', 'workspace'] as const;
export type DiagnosticMode = (typeof DIAGNOSTIC_MODES)[number];

/** Settings forwarded to the server. `interpreter` and `trace` are client-only. */
export interface ServerSettings {
  enable: boolean;
  severity: Record<string, Severity>;
  debounceMs: number | null;
  configFile: string | null;
  logLevel: LogLevel;
  diagnosticMode: DiagnosticMode;
  maxFileSizeKb: number;
  docsBaseUrl: string | null;
}

export const DEFAULTS: Readonly<ServerSettings> = Object.freeze({
  enable: true,
  severity: {},
  debounceMs: null,
  configFile: null,
  logLevel: 'info',
  diagnosticMode: 'openFiles',
  maxFileSizeKb: 1024,
  docsBaseUrl: null,
});

export const SERVER_KEYS = Object.keys(DEFAULTS) as (keyof ServerSettings)[];
/** Keys whose change needs a new server process rather than didChangeConfiguration. */
export const RESTART_KEYS = ['interpreter'] as const;

export interface Normalised {
  settings: ServerSettings;
  problems: string[];
}

const CODE_RE = /^SSOT\d{3}$/;
const URL_RE = /^(https?|file):\/\/\S+$/;

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/** Accepts a plain object (e.g. `getConfiguration('ssotLsp')` copied out) and returns clean settings. */
export function normaliseSettings(raw: unknown): Normalised {
  const problems: string[] = [];
  const src: Record<string, unknown> =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: ServerSettings = { ...DEFAULTS, severity: {} };

  if (src.enable !== undefined) {
    if (typeof src.enable === 'boolean') out.enable = src.enable;
    else problems.push(`ssotLsp.enable must be a boolean; using ${String(DEFAULTS.enable)}`);
  }

  if (src.severity !== undefined && src.severity !== null) {
    if (typeof src.severity === 'object' && !Array.isArray(src.severity)) {
      for (const [code, value] of Object.entries(src.severity as Record<string, unknown>)) {
        const upper = code.toUpperCase();
        if (!CODE_RE.test(upper)) {
          problems.push(`ssotLsp.severity: unknown rule code "${code}" ignored`);
          continue;
        }
        const sev = typeof value === 'string' ? value.toLowerCase() : value;
        const mapped = sev === 'info' ? 'information' : sev;
        if (!isSeverity(mapped)) {
          problems.push(`ssotLsp.severity.${code}: "${String(value)}" is not one of ${SEVERITIES.join('/')}; ignored`);
          continue;
        }
        out.severity[upper] = mapped;
      }
    } else {
      problems.push('ssotLsp.severity must be an object mapping rule codes to severities; ignored');
    }
  }

  if (src.debounceMs !== undefined) {
    const n = src.debounceMs;
    if (n === null) out.debounceMs = null;
    else if (typeof n === 'number' && Number.isFinite(n) && n >= 0) out.debounceMs = Math.round(n);
    else problems.push('ssotLsp.debounceMs must be an integer >= 0, or null (adaptive); using the adaptive debounce');
  }

  if (src.configFile !== undefined) {
    if (src.configFile === null || (typeof src.configFile === 'string' && src.configFile.trim() === '')) {
      out.configFile = null;
    } else if (typeof src.configFile === 'string') {
      out.configFile = src.configFile.trim();
    } else {
      problems.push('ssotLsp.configFile must be a string or null; ignored');
    }
  }

  if (src.logLevel !== undefined) {
    const l = typeof src.logLevel === 'string' ? src.logLevel.toLowerCase() : src.logLevel;
    const mapped = l === 'warn' ? 'warning' : l;
    if (typeof mapped === 'string' && (LOG_LEVELS as readonly string[]).includes(mapped)) out.logLevel = mapped as LogLevel;
    else problems.push(`ssotLsp.logLevel must be one of ${LOG_LEVELS.join('/')}; using ${DEFAULTS.logLevel}`);
  }

  if (src.diagnosticMode !== undefined) {
    if (typeof src.diagnosticMode === 'string' && (DIAGNOSTIC_MODES as readonly string[]).includes(src.diagnosticMode)) {
      out.diagnosticMode = src.diagnosticMode as DiagnosticMode;
    } else {
      problems.push(`ssotLsp.diagnosticMode must be one of ${DIAGNOSTIC_MODES.join('/')}; using ${DEFAULTS.diagnosticMode}`);
    }
  }

  if (src.maxFileSizeKb !== undefined) {
    const n = src.maxFileSizeKb;
    if (typeof n === 'number' && Number.isFinite(n) && n > 0) out.maxFileSizeKb = Math.max(1, Math.round(n));
    else problems.push(`ssotLsp.maxFileSizeKb must be an integer > 0; using ${DEFAULTS.maxFileSizeKb}`);
  }

  if (src.docsBaseUrl !== undefined) {
    const url = typeof src.docsBaseUrl === 'string' ? src.docsBaseUrl.trim() : src.docsBaseUrl;
    if (url === null || url === '') out.docsBaseUrl = null;
    else if (typeof url === 'string' && URL_RE.test(url)) out.docsBaseUrl = url;
    else problems.push('ssotLsp.docsBaseUrl must be an http://, https:// or file:// URL; ignored');
  }

  return { settings: out, problems };
}

/** Reads the server keys from something with a `get(key)` (a WorkspaceConfiguration). */
export function readSettings(config: { get(key: string): unknown }): Normalised {
  const raw: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    raw[key] = config.get(key);
  }
  return normaliseSettings(raw);
}

/** Whether a configuration change needs a server restart (the interpreter changed). */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_KEYS.some((k) => affects(`${SECTION}.${k}`));
}
