/**
 * VS Code client for ssot-lsp (contract: docs/protocol.md).
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ErrorHandler,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  StaticFeature,
  TransportKind,
} from 'vscode-languageclient/node';

import { AuditPanel, auditPage } from './audit';
import {
  classifyProbe,
  interpreterFromPythonExtension,
  probeCommand,
  PythonExtensionLike,
  ResolvedInterpreter,
  resolveInterpreter,
  serverCommand,
  startFailureMessage,
  ProbeFailure,
} from './interpreter';
import { needsRestart, normaliseSettings, readSettings, SECTION, ServerSettings } from './settings';
import { formatFixAllResult, formatStatus, IndexingTracker, ServerState } from './status';
import { ViolationStore } from './store';
import { TreeModel } from './tree';
import { ViolationsView } from './view';

const CLIENT_ID = 'ssotLsp';
const CLIENT_NAME = 'SSOT LSP';
const TREE_REFRESH_DEBOUNCE_MS = 500;
/** How long a command waits for a (re)starting server before it gives up. */
const WAIT_FOR_SERVER_MS = 120_000;
const NOT_RUNNING = 'the SSOT language server is not running';
const PROBE_TIMEOUT_MS = 20_000;

/**
 * VS Code lists disabled code actions only in menus opened with a kind filter, never on Ctrl+. or
 * the light bulb: a disabled "fix" saying why a finding has none would never be seen. Declaring no
 * `disabledSupport` makes the server put the reason in the "Suppress" action's title instead,
 * which Ctrl+. shows (registered after the built-in features, so this runs last).
 */
const NO_DISABLED_QUICK_FIXES: StaticFeature = {
  fillClientCapabilities(capabilities) {
    const codeAction = capabilities.textDocument?.codeAction;
    if (codeAction) codeAction.disabledSupport = false;
  },
  initialize() {},
  getState: () => ({ kind: 'static' }),
  clear() {},
};

/** LanguageClient whose forced error popups are routed to our single start-failure notification. */
class SsotLanguageClient extends LanguageClient {
  onForcedError?: (message: string) => void;

  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (/^Server process exited with code 0\.?$/.test(message)) {
      // vscode-languageclient logs every exit code as an error; 0 is the clean end of a stop.
      super.info('Server process exited cleanly (code 0).', data, false);
      return;
    }
    if (showNotification === 'force') {
      super.error(message, data, false);
      this.onForcedError?.(message);
      return;
    }
    super.error(message, data, showNotification);
  }
}

class Controller implements vscode.Disposable {
  private client: SsotLanguageClient | undefined;
  private interpreter: ResolvedInterpreter | undefined;
  private state: ServerState = 'stopped';
  private readonly store = new ViolationStore();
  private readonly indexing = new IndexingTracker();
  private readonly output: vscode.OutputChannel;
  private readonly status: vscode.StatusBarItem;
  private readonly view: ViolationsView;
  private readonly audit = new AuditPanel();
  /** the list request in flight; a refresh asked meanwhile runs once when it is answered */
  private listing: Promise<TreeModel | undefined> | undefined;
  private listAgain = false;
  private listError: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private lifecycle: Promise<void> = Promise.resolve();
  private failureShown = false;
  private treeTimer: NodeJS.Timeout | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  private settings: ServerSettings;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel(CLIENT_NAME);
    this.status = vscode.window.createStatusBarItem('ssotLsp.status', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'SSOT';
    this.status.command = 'ssotLsp.showViolations';
    this.view = new ViolationsView(context.workspaceState);
    this.settings = this.readSettings();
    this.disposables.push(this.output, this.status, this.view, this.audit);
    this.disposables.push(
      vscode.commands.registerCommand('ssotLsp.showViolations', () => this.showViolations()),
      vscode.commands.registerCommand('ssotLsp.refreshViolations', () => this.refreshTree(true)),
      vscode.commands.registerCommand('ssotLsp.fixAll', () => this.fixAll()),
      vscode.commands.registerCommand('ssotLsp.restart', () => this.restart('command')),
      vscode.commands.registerCommand('ssotLsp.showOutput', () => this.output.show(true)),
      vscode.commands.registerCommand('ssotLsp.filterCurrentFile', () => this.view.setCurrentFileOnly(true)),
      vscode.commands.registerCommand('ssotLsp.showAllFiles', () => this.view.setCurrentFileOnly(false)),
      vscode.commands.registerCommand('ssotLsp.showAudit', () => this.showAudit()),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.restart('workspace trusted')),
      // Any change of diagnostics may change the workspace list (an edit, a file saved, fix-all).
      vscode.languages.onDidChangeDiagnostics(() => this.refreshTree(false)),
    );
    this.updateStatus();
    this.status.show();
  }

  log(message: string): void {
    this.output.appendLine(`[ssot-lsp client ${new Date().toLocaleTimeString()}] ${message}`);
  }

  private readSettings(): ServerSettings {
    const { settings, problems } = readSettings(vscode.workspace.getConfiguration(SECTION));
    for (const p of problems) this.log(`settings: ${p}`);
    return settings;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(): Promise<void> {
    this.lifecycle = this.lifecycle.then(() => this.doStart()).catch((err) => this.log(`start failed: ${String(err)}`));
    return this.lifecycle;
  }

  restart(reason: string): Promise<void> {
    this.lifecycle = this.lifecycle
      .then(async () => {
        this.log(`restarting the server (${reason})`);
        await this.doStop('restarting');
        await this.doStart();
      })
      .catch((err) => this.log(`restart failed: ${String(err)}`));
    return this.lifecycle;
  }

  private async resolve(): Promise<ResolvedInterpreter> {
    const trusted = vscode.workspace.isTrusted;
    return resolveInterpreter({
      inspect: () => vscode.workspace.getConfiguration(SECTION).inspect<unknown>('interpreter'),
      isTrusted: trusted,
      pythonExtensionInterpreter: async () => {
        const ext = vscode.extensions.getExtension('ms-python.python');
        if (!ext) return undefined;
        this.watchPythonExtension(ext);
        return interpreterFromPythonExtension(ext as PythonExtensionLike, vscode.workspace.workspaceFolders?.[0]?.uri);
      },
      log: (m) => this.log(m),
    });
  }

  private pythonWatch: vscode.Disposable | undefined;
  private watchPythonExtension(ext: vscode.Extension<unknown>): void {
    if (this.pythonWatch || !ext.isActive) return;
    const envs = (ext.exports as { environments?: { onDidChangeActiveEnvironmentPath?: vscode.Event<unknown> } })
      ?.environments;
    if (envs?.onDidChangeActiveEnvironmentPath) {
      this.pythonWatch = envs.onDidChangeActiveEnvironmentPath(() => {
        if (this.interpreter?.source === 'python-extension') void this.restart('Python interpreter changed');
      });
      this.disposables.push(this.pythonWatch);
    }
  }

  private probe(interpreter: string[]): Promise<ProbeFailure | undefined> {
    const { command, args } = probeCommand(interpreter);
    return new Promise((resolve) => {
      execFile(command, args, { cwd: this.serverCwd(), timeout: PROBE_TIMEOUT_MS }, (err, _stdout, stderr) => {
        if (!err) return resolve(undefined);
        const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
        if (e.killed) {
          this.log(`probe "${command} ${args.join(' ')}" timed out; trying to start the server anyway`);
          return resolve(undefined);
        }
        resolve(
          classifyProbe({
            errorCode: typeof e.code === 'string' ? e.code : undefined,
            exitCode: typeof e.code === 'number' ? e.code : null,
            stderr: String(stderr ?? ''),
          }),
        );
      });
    });
  }

  private serverCwd(): string {
    // Outside the workspace, so a module named ssot_lsp in the workspace can never shadow ours.
    return this.context.extensionPath || os.tmpdir();
  }

  private async doStart(): Promise<void> {
    this.failureShown = false;
    this.indexing.reset();
    this.settings = this.readSettings();
    this.interpreter = await this.resolve();
    const interp = this.interpreter.command;
    const { command, args } = serverCommand(interp);
    this.log(`interpreter (${this.interpreter.source}): ${JSON.stringify(interp)}`);
    this.log(`launching: ${command} ${args.join(' ')} (cwd ${this.serverCwd()})`);
    this.setState('starting');

    const failure = await this.probe(interp);
    if (failure) {
      this.log(`cannot start: ${failure.kind}: ${failure.detail}`);
      this.notifyStartFailure(failure);
      return;
    }

    const serverOptions: ServerOptions = {
      command,
      args,
      transport: TransportKind.stdio,
      options: { cwd: this.serverCwd() },
    };
    const life = { running: false };
    const client = new SsotLanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, this.clientOptions(life));
    client.registerFeature(NO_DISABLED_QUICK_FIXES);
    client.onForcedError = (message) =>
      this.notifyStartFailure({ kind: 'other', detail: life.running ? message : 'the server exited during start-up; see the output' });
    this.client = client;
    this.clientDisposables.push(
      client.onDidChangeState((e) => {
        if (this.client !== client) return;
        if (e.newState === State.Running) {
          life.running = true;
          this.setState('running');
          this.refreshTree(true);
        } else {
          // The server is gone (a crash the client restarts from, or a stop): its count with it.
          this.forgetViolations();
          if (e.newState === State.Starting && this.state !== 'failed') this.setState('starting');
          else if (e.newState === State.Stopped && this.state !== 'failed' && this.state !== 'restarting') this.setState('stopped');
        }
      }),
    );
    try {
      await client.start();
      if (!client.isRunning()) {
        // start() can resolve although the connection closed during initialisation.
        this.log('the server did not reach the running state');
        this.notifyStartFailure({ kind: 'other', detail: 'the server exited during start-up; see the output' });
        return;
      }
      this.log('server started');
      this.setState('running');
      this.refreshTree(true);
    } catch (err) {
      this.log(`client start failed: ${String(err)}`);
      this.notifyStartFailure({ kind: 'other', detail: String((err as Error)?.message ?? err) });
    }
  }

  private async doStop(next: ServerState = 'stopped'): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    this.indexing.reset();
    this.setState(next);
    this.forgetViolations();
    if (client) {
      try {
        if (client.needsStop()) await client.stop(5000);
      } catch (err) {
        this.log(`stop failed: ${String(err)}`);
      }
      try {
        await client.dispose(2000);
      } catch {
        // already stopped
      }
    }
    this.setState(next);
  }

  private clientOptions(life: { running: boolean }): LanguageClientOptions {
    const restarts: number[] = [];
    const errorHandler: ErrorHandler = {
      error: (_error, _message, count) =>
        (count ?? 0) <= 3 ? { action: ErrorAction.Continue, handled: true } : { action: ErrorAction.Shutdown, handled: true },
      closed: () => {
        if (!life.running) {
          // It never came up: restarting would fail the same way. One notification, no loop.
          this.log('the server process exited during start-up (its output is above)');
          this.notifyStartFailure({ kind: 'other', detail: 'the server exited during start-up; see the output' });
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        const now = Date.now();
        restarts.push(now);
        while (restarts.length && now - restarts[0] > 3 * 60_000) restarts.shift();
        if (restarts.length > 4) {
          this.log('the server crashed 5 times in 3 minutes; not restarting it (SSOT: Restart Server to try again)');
          this.notifyStartFailure({ kind: 'other', detail: 'the server process keeps exiting' });
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        this.log('the server process exited; restarting it');
        return { action: CloseAction.Restart, handled: true };
      },
    };
    return {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
      ],
      initializationOptions: { [SECTION]: this.settings },
      synchronize: {
        configurationSection: SECTION,
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.py,pyproject.toml,ssot-lsp.toml}'),
      },
      outputChannel: this.output,
      revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
      errorHandler,
      initializationFailedHandler: (error) => {
        this.log(`initialization failed: ${String(error)}`);
        return false;
      },
      middleware: {
        handleWorkDoneProgress: (token, params, next) => {
          const ev = this.indexing.handle(token, params);
          if (ev) {
            this.updateStatus();
            if (ev.type === 'end') this.refreshTree(true);
            else this.view.setPending(this.indexingText());
          }
          next(token, params);
        },
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            // Normalise our own section so the server always gets well-typed values.
            return result.map((value, i) => {
              const section = params.items[i]?.section;
              if (section === SECTION && value && typeof value === 'object') {
                return { ...(value as object), ...normaliseSettings(value).settings };
              }
              return value;
            });
          },
        },
      },
    };
  }

  private notifyStartFailure(failure: ProbeFailure): void {
    this.setState('failed');
    if (this.failureShown) return;
    this.failureShown = true;
    const interp = this.interpreter?.command ?? ['python3'];
    const message = startFailureMessage(interp, failure);
    this.log(message);
    void vscode.window.showErrorMessage(message, 'Open Output').then((choice) => {
      if (choice === 'Open Output') this.output.show(true);
    });
  }

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(SECTION)) return;
    if (needsRestart((s) => e.affectsConfiguration(s))) {
      void this.restart('ssotLsp.interpreter changed');
      return;
    }
    // The other keys reach the server through didChangeConfiguration (synchronize.configurationSection).
    this.settings = this.readSettings();
    this.updateStatus();
  }

  dispose(): void {
    if (this.treeTimer) clearTimeout(this.treeTimer);
    for (const d of this.disposables) d.dispose();
  }

  async stop(): Promise<void> {
    await this.lifecycle;
    await this.doStop();
  }

  // ---- status ----------------------------------------------------------------------------

  private setState(state: ServerState): void {
    this.state = state;
    this.updateStatus();
  }

  private updateStatus(): void {
    let state = this.state;
    if (state === 'running' && !this.settings.enable) state = 'disabled';
    const model = this.store.model;
    const view = formatStatus({
      state,
      count: model?.total,
      files: model?.files,
      indexing: this.indexing.active ? { percentage: this.indexing.percentage, message: this.indexing.message } : undefined,
    });
    this.status.text = view.text;
    this.status.tooltip = view.tooltip;
    this.status.backgroundColor = view.background
      ? new vscode.ThemeColor(view.background === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground')
      : undefined;
  }

  private indexingText(): string | undefined {
    if (!this.indexing.active) return undefined;
    const p = this.indexing.percentage;
    const detail = [typeof p === 'number' ? `${Math.round(p)}%` : undefined, this.indexing.message].filter(Boolean).join(', ');
    return `Indexing the workspace${detail ? ` (${detail})` : ''}…`;
  }

  // ---- the violation list: one source for the status bar and the tree ---------------------

  /** The server stopped or restarts: its answers (and counts) are no longer true. */
  private forgetViolations(): void {
    this.store.invalidate();
    this.view.set(undefined, this.state === 'restarting' ? 'Restarting the SSOT language server…' : undefined);
    this.updateStatus();
  }

  /**
   * The running client, waiting for a start or restart in progress (and for the client's own
   * restart after a crash) instead of failing while the server is briefly down.
   */
  private async whenRunning(timeoutMs = WAIT_FOR_SERVER_MS): Promise<SsotLanguageClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let lifecycle: Promise<void>;
      do {
        lifecycle = this.lifecycle;
        await lifecycle;
      } while (lifecycle !== this.lifecycle);
      const client = this.client;
      if (client?.isRunning()) return client;
      if (!client || this.state === 'failed' || this.state === 'stopped') throw new Error(NOT_RUNNING);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${NOT_RUNNING} (still starting after ${Math.round(timeoutMs / 1000)} s)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, Math.min(left, 5000));
        const sub = client.onDidChangeState(() => finish());
        function finish(): void {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
    }
  }

  private refreshTree(now: boolean): void {
    if (this.treeTimer) clearTimeout(this.treeTimer);
    if (now) {
      void this.loadTree();
      return;
    }
    this.treeTimer = setTimeout(() => void this.loadTree(), TREE_REFRESH_DEBOUNCE_MS);
  }

  /**
   * Asks the server for the list. At most one request is in flight: the server answers only with a
   * complete index and a big workspace takes a while, so refreshes asked meanwhile are coalesced
   * into one that follows the answer (no cancellation: the server logs a cancelled request as an
   * error).
   */
  private loadTree(): Promise<TreeModel | undefined> {
    if (this.listing) {
      this.listAgain = true;
      return this.listing;
    }
    this.listing = this.requestList().finally(() => {
      this.listing = undefined;
      if (this.listAgain) {
        this.listAgain = false;
        void this.loadTree();
      }
    });
    return this.listing;
  }

  private async requestList(): Promise<TreeModel | undefined> {
    if (this.state === 'failed' || this.state === 'stopped' || this.state === 'disabled') return undefined;
    const ticket = this.store.ticket();
    try {
      const client = await this.whenRunning();
      if (!this.store.isCurrent(ticket)) return undefined;
      const list = await client.sendRequest(ExecuteCommandRequest.type, { command: 'ssot.listViolations', arguments: [] });
      const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      const model = this.store.accept(ticket, list, roots);
      if (!model) return undefined; // overtaken by a newer answer or a restart
      if (model.invalid) this.log(`ssot.listViolations: ${model.invalid} malformed entries ignored`);
      if (model.duplicates) this.log(`ssot.listViolations: ${model.duplicates} entries repeated an earlier one (shown once)`);
      this.listError = undefined;
      this.view.set(model, this.indexingText());
      this.updateStatus();
      return model;
    } catch (err) {
      // A request to a server that stopped meanwhile (restart) fails; its answer is not wanted.
      if (!this.store.isCurrent(ticket)) return undefined;
      const msg = String((err as Error)?.message ?? err);
      if (msg !== this.listError) this.log(`listing violations failed: ${msg}`);
      this.listError = msg;
      this.view.setPending(`Could not list violations: ${msg}`);
      return undefined;
    }
  }

  private async showViolations(): Promise<void> {
    await this.lifecycle;
    if (!this.client && this.state !== 'failed') await this.start();
    await vscode.commands.executeCommand('ssotLsp.violations.focus');
    await this.loadTree();
  }

  // ---- audit -------------------------------------------------------------------------------

  private async showAudit(): Promise<void> {
    try {
      const client = await this.whenRunning();
      const answer = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'SSOT: audit' },
        () => client.sendRequest(ExecuteCommandRequest.type, { command: 'ssot.audit', arguments: [{ format: 'html' }] }),
      );
      const page = auditPage(answer);
      if ('problem' in page) {
        this.log(`audit: ${page.problem}`);
        void vscode.window.showWarningMessage(`SSOT: ${page.problem}`);
        return;
      }
      this.audit.show(page.html);
    } catch (err) {
      const msg = String((err as Error)?.message ?? err);
      this.log(`audit failed: ${msg}`);
      void vscode.window.showErrorMessage(`SSOT: audit failed: ${msg}`, 'Open Output').then((c) => {
        if (c) this.output.show(true);
      });
    }
  }

  // ---- fix all ---------------------------------------------------------------------------

  private async fixAll(): Promise<void> {
    let client: SsotLanguageClient;
    try {
      client = await this.whenRunning();
    } catch (err) {
      void vscode.window.showErrorMessage(`SSOT: ${String((err as Error)?.message ?? err)}.`, 'Open Output').then((c) => {
        if (c) this.output.show(true);
      });
      return;
    }
    const go = await vscode.window.showWarningMessage(
      'Apply all safe SSOT fixes in the workspace?',
      { modal: true, detail: 'Every verified fix is applied to the files of the workspace. Unsafe fixes are skipped.' },
      'Fix All',
    );
    if (go !== 'Fix All') return;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'SSOT: fixing the workspace', cancellable: false },
        () => client.sendRequest(ExecuteCommandRequest.type, { command: 'ssot.fixAll', arguments: [] }),
      );
      const text = formatFixAllResult(result);
      this.log(`fixAll: ${JSON.stringify(result)}`);
      void vscode.window.showInformationMessage(text);
      this.refreshTree(true);
    } catch (err) {
      const msg = String((err as Error)?.message ?? err);
      this.log(`fixAll failed: ${msg}`);
      void vscode.window.showErrorMessage(`SSOT: fix all failed: ${msg}`, 'Open Output').then((c) => {
        if (c) this.output.show(true);
      });
    }
  }
}

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  controller = new Controller(context);
  context.subscriptions.push(controller);
  controller.log(`activated (VS Code ${vscode.version}, trusted workspace: ${String(vscode.workspace.isTrusted)})`);
  void controller.start();
}

export async function deactivate(): Promise<void> {
  if (controller) {
    await controller.stop();
    controller = undefined;
  }
}
