#!/usr/bin/env node
/**
 * End-to-end test of the ssot-lsp VS Code extension in real VS Code (code-server 4.100.3),
 * driven by playwright-core in Debian's headless Chromium.
 *
 *   node vscode-client/e2e/run-e2e.mjs
 *
 * Exit code 0 on success, 1 with a message on stderr otherwise. Every wait is <= 60 s and the
 * whole run is bounded (SSOT_E2E_DEADLINE_S, default 360 s). code-server is always stopped.
 *
 * Environment:
 *   SSOT_PYTHON          Python that has ssot_lsp installed; written to the user setting
 *                        ssotLsp.interpreter (default: `python3` from PATH, resolved to a full path).
 *   SSOT_E2E_CACHE       where install-code-server.sh installs code-server + playwright-core
 *                        (default: $HOME/.cache/ssot-lsp-e2e). Installed on first use (needs root
 *                        for the apt packages, or set SSOT_E2E_NO_APT=1 if they are present).
 *   SSOT_E2E_VSIX        the extension package to install (default: vscode-client/ssot-lsp.vsix,
 *                        built with `npm ci`/`npm run package` when missing).
 *   SSOT_E2E_REBUILD=1   rebuild the .vsix even if it exists.
 *   SSOT_E2E_FIXTURE     workspace to copy and open (default: <repo>/examples/migration-demo).
 *   SSOT_E2E_FILE        file to open, relative to the workspace
 *                        (default: netra_backend/app/routes/agent_routes.py).
 *   SSOT_E2E_STAGE       `full` (default) or `activation`: stop after the workbench loaded, the
 *                        extension activated and its output channel logged the server launch.
 *   SSOT_E2E_CHROMIUM    Chromium executable (default: /usr/bin/chromium).
 *   SSOT_E2E_PORT        port for code-server on 127.0.0.1 (default: a free port).
 *   SSOT_E2E_SCREENSHOTS folder for screenshots (default: vscode-client/e2e/screenshots).
 *   SSOT_E2E_DEADLINE_S  overall time limit in seconds (default: 360).
 *   SSOT_E2E_KEEP=1      keep the temporary folder (user data, logs, workspace copy).
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLIENT_DIR = path.resolve(HERE, '..');
const REPO = path.resolve(CLIENT_DIR, '..');
const env = process.env;

const CACHE = env.SSOT_E2E_CACHE || path.join(os.homedir(), '.cache', 'ssot-lsp-e2e');
const STAGE = env.SSOT_E2E_STAGE || 'full';
const FIXTURE = path.resolve(env.SSOT_E2E_FIXTURE || path.join(REPO, 'examples', 'migration-demo'));
const REL_FILE = env.SSOT_E2E_FILE || 'netra_backend/app/routes/agent_routes.py';
const CHROMIUM = env.SSOT_E2E_CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.resolve(env.SSOT_E2E_SCREENSHOTS || path.join(HERE, 'screenshots'));
const DEADLINE_S = Number(env.SSOT_E2E_DEADLINE_S || 360);
const WAIT = 60_000;
const EXPECTED_FIX = 'get_execution_engine_factory()).create_for_user(ctx)';
const CONSTRUCTION = 'ExecutionEngine(registry, websocket_bridge, user_context=ctx)';
const REPLACEMENT = 'await (await get_execution_engine_factory()).create_for_user(ctx)';
const FACTORY_IMPORT =
  /^from netra_backend\.app\.agents\.supervisor(\.execution_engine_factory)? import (.*, )?get_execution_engine_factory(,.*)?$/;
const T0 = Date.now();

let codeServer; // ChildProcess
let browser;
let tmp;
let finished = false;

function log(msg) {
  const t = ((Date.now() - T0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[e2e ${t}s] ${msg}\n`);
}

class E2EError extends Error {}
function fail(msg) {
  throw new E2EError(msg);
}

function killCodeServer() {
  if (!codeServer || codeServer.exitCode !== null || codeServer.signalCode !== null) return;
  try {
    process.kill(-codeServer.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const pid = codeServer.pid;
  setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 2000).unref();
}

function cleanupSync() {
  killCodeServer();
  if (tmp && !env.SSOT_E2E_KEEP) {
    try {
      fs.rmSync(tmp, { recursive: true, force: true });
    } catch {
      /* ignore */
    }
  }
}
process.on('exit', () => {
  if (codeServer && codeServer.exitCode === null) {
    try {
      process.kill(-codeServer.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`got ${sig}; stopping`);
    cleanupSync();
    process.exit(1);
  });
}

// ---- setup -------------------------------------------------------------------------------

function installCodeServer() {
  const script = path.join(HERE, 'install-code-server.sh');
  log(`install-code-server.sh (cache ${CACHE})`);
  const r = spawnSync('bash', [script], {
    env: { ...env, SSOT_E2E_CACHE: CACHE },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
  });
  if (r.status !== 0) fail(`install-code-server.sh failed (exit ${r.status})`);
  const bin = r.stdout.trim().split('\n').pop();
  if (!bin || !fs.existsSync(bin)) fail(`code-server not found after install: ${bin}`);
  return bin;
}

function buildVsix() {
  const vsix = path.resolve(env.SSOT_E2E_VSIX || path.join(CLIENT_DIR, 'ssot-lsp.vsix'));
  if (fs.existsSync(vsix) && !env.SSOT_E2E_REBUILD) return vsix;
  if (env.SSOT_E2E_VSIX && !env.SSOT_E2E_REBUILD) fail(`SSOT_E2E_VSIX=${vsix} does not exist`);
  const run = (args) => {
    log(`npm ${args.join(' ')}`);
    const r = spawnSync('npm', args, { cwd: CLIENT_DIR, stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60_000 });
    if (r.status !== 0) fail(`npm ${args.join(' ')} failed`);
  };
  if (!fs.existsSync(path.join(CLIENT_DIR, 'node_modules', '.bin', 'vsce'))) run(['ci', '--no-audit', '--no-fund']);
  run(['run', 'package']);
  const built = path.join(CLIENT_DIR, 'ssot-lsp.vsix');
  if (!fs.existsSync(built)) fail('npm run package did not produce ssot-lsp.vsix');
  return built;
}

function resolvePython() {
  const py = env.SSOT_PYTHON || 'python3';
  try {
    const exe = execFileSync(py, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 20_000 }).trim();
    return exe || py;
  } catch {
    fail(`SSOT_PYTHON=${py} cannot be run`);
  }
}

function freePort() {
  if (env.SSOT_E2E_PORT) return Promise.resolve(Number(env.SSOT_E2E_PORT));
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, ms) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    if (codeServer.exitCode !== null) fail(`code-server exited early with code ${codeServer.exitCode}`);
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status < 500) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e.cause?.code ?? e.message);
    }
    await sleep(300);
  }
  fail(`code-server did not answer on ${url} within ${ms / 1000}s (${last})`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Files below `dir` (recursively) whose name matches `pattern`; unreadable folders are skipped. */
function filesMatching(dir, pattern) {
  const found = [];
  const walk = (d) => {
    let entries = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pattern.test(e.name)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/** The extension's output channel, as VS Code writes it to the logs folder. */
function outputChannelLog(userData) {
  const found = filesMatching(path.join(userData, 'logs'), /SSOT LSP\.log$/);
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

function exthostLogs(userData) {
  const out = filesMatching(path.join(userData, 'logs'), /exthost\.log$|remoteexthost\.log$/);
  return out.map((f) => `--- ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')}`).join('\n');
}

async function poll(what, fn, ms = WAIT, every = 500) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(every);
  }
  fail(`timed out after ${ms / 1000}s waiting for ${what}`);
}

// ---- workbench helpers -------------------------------------------------------------------

async function quickInput(page, opener, text) {
  await page.keyboard.press(opener);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  return input;
}

async function runCommand(page, title) {
  await quickInput(page, 'F1', `>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function openFile(page, rel) {
  const base = path.basename(rel);
  await quickInput(page, 'F1', rel);
  // Quick Open in file mode lists matches by basename; choose the row of our path.
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page
    .locator(`.tabs-container .tab[aria-label*="${base}"], .tabs-container .tab:has-text("${base}")`)
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
}

async function editorText(page) {
  return page.evaluate(() => {
    const ed = document.querySelector('.editor-instance .monaco-editor .view-lines');
    return ed ? ed.innerText.replace(/\u00a0/g, ' ') : '';
  });
}

// ---- main --------------------------------------------------------------------------------

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  if (!fs.existsSync(path.join(FIXTURE, REL_FILE))) fail(`fixture file missing: ${path.join(FIXTURE, REL_FILE)}`);
  const python = resolvePython();
  const probe = spawnSync(python, ['-I', '-c', 'import ssot_lsp'], { encoding: 'utf8', cwd: os.tmpdir() });
  log(`python: ${python} (import ssot_lsp: ${probe.status === 0 ? 'ok' : 'FAILS'})`);
  if (STAGE === 'full' && probe.status !== 0) {
    fail(`${python} cannot import ssot_lsp; install it (pip install -e ${REPO}) or set SSOT_PYTHON:\n${probe.stderr}`);
  }

  const codeServerBin = installCodeServer();
  const require = createRequire(path.join(CACHE, 'package.json'));
  const { chromium } = require('playwright-core');
  const vsix = buildVsix();
  log(`vsix: ${vsix}`);

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssot-e2e-'));
  const userData = path.join(tmp, 'user-data');
  const extDir = path.join(tmp, 'extensions');
  const ws = path.join(tmp, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  fs.cpSync(FIXTURE, ws, { recursive: true, filter: (src) => !/(^|\/)(__pycache__|\.git|\.venv)(\/|$)/.test(src) });
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'window.restoreWindows': 'none',
    'editor.minimap.enabled': false,
    'ssotLsp.interpreter': [python],
    'ssotLsp.logLevel': 'debug',
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  log('installing the extension into code-server');
  const inst = spawnSync(
    codeServerBin,
    ['--user-data-dir', userData, '--extensions-dir', extDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (inst.status !== 0) fail(`--install-extension failed (exit ${inst.status}):\n${inst.stdout}\n${inst.stderr}`);
  if (!fs.readdirSync(extDir).some((d) => d.startsWith('ssot-lsp.ssot-lsp-'))) {
    fail(`extension not found in ${extDir} after install:\n${inst.stdout}\n${inst.stderr}`);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`;
  log(`starting code-server on 127.0.0.1:${port}`);
  const csLog = fs.openSync(path.join(tmp, 'code-server.log'), 'a');
  codeServer = spawn(
    codeServerBin,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir', userData,
      '--extensions-dir', extDir,
      ws,
    ],
    { detached: true, stdio: ['ignore', csLog, csLog], env: { ...env, SSOT_E2E: '1' } },
  );
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, WAIT);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: WAIT,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  globalThis.__page = page;

  log(`opening ${url}`);
  await page.goto(url, { timeout: WAIT });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WAIT });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: WAIT });
  log('workbench loaded');

  await openFile(page, REL_FILE);
  log(`opened ${REL_FILE}`);

  const launched = await poll('the extension to log the server launch in its output channel', () => {
    const text = outputChannelLog(userData);
    return /launching: /.test(text) ? text : undefined;
  });
  log('extension activated; output channel:\n' + indent(launched.split('\n').slice(0, 12).join('\n')));

  if (STAGE === 'activation') {
    await sleep(3000);
    const toasts = await page.locator('.notifications-toasts .notification-list-item').allInnerTexts();
    log(`notifications: ${JSON.stringify(toasts.map((t) => t.replace(/\s+/g, ' ').trim()))}`);
    const status = await page.locator('.statusbar-item', { hasText: 'SSOT' }).allInnerTexts();
    log(`status bar: ${JSON.stringify(status)}`);
    await page.screenshot({ path: path.join(SHOTS, 'activation.png') });
    return;
  }

  // 1. the squiggle
  const squiggle = page.locator('.editor-instance .squiggly-error, .editor-instance .squiggly-warning').first();
  const seen = await poll(`a .squiggly-error/.squiggly-warning on ${REL_FILE}`, async () => {
    if ((await squiggle.count()) > 0) return 'squiggle';
    if (/could not start|is not installed|was not found/.test(outputChannelLog(userData))) return 'server-failed';
    return undefined;
  }).catch(() => 'timeout');
  if (seen !== 'squiggle') {
    fail(
      (seen === 'server-failed' ? 'the language server failed to start' : `no .squiggly-error/.squiggly-warning on ${REL_FILE} within ${WAIT / 1000}s`) +
        `. Output channel:\n${indent(outputChannelLog(userData))}`,
    );
  }
  await sleep(500);
  await page.screenshot({ path: path.join(SHOTS, 'squiggle.png') });
  log(`squiggle rendered; screenshot ${path.join(SHOTS, 'squiggle.png')}`);

  // 2. the quick fix on `ExecutionEngine(registry, websocket_bridge, user_context=ctx)`.
  // A failure here is recorded and the tree is still checked, so one run reports both.
  const problems = [];
  try {
    const original = fs.readFileSync(path.join(ws, REL_FILE), 'utf8');
    const lines = original.split('\n');
    const lineIdx = lines.findIndex((l) => l.includes(CONSTRUCTION));
    if (lineIdx < 0) fail(`fixture has no "${CONSTRUCTION}" line`);
    const col = lines[lineIdx].indexOf(CONSTRUCTION) + 1;
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await quickInput(page, 'Control+G', `:${lineIdx + 1}:${col + 2}`);
    await page.keyboard.press('Enter');
    await sleep(300);

    // The diagnostic's hover over the construction, for the squiggle screenshot (best effort).
    try {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:visible', { hasText: /SSOT0\d\d/ }).first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      await sleep(400);
      await page.screenshot({ path: path.join(SHOTS, 'squiggle.png') });
      log(`hover: ${(await hover.innerText()).replace(/\s+/g, ' ').trim().slice(0, 200)}; screenshot squiggle.png`);
    } catch (e) {
      log(`no hover for the screenshot (${String(e.message || e).split('\n')[0]})`);
    }
    await page.keyboard.press('Escape');
    await sleep(200);

    const actionRows = page.locator('.action-widget .monaco-list-row');
    let choice;
    for (let attempt = 0; attempt < 3 && !choice; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await actionRows.first().waitFor({ state: 'visible', timeout: 20_000 });
      } catch {
        continue;
      }
      const titles = await actionRows.allInnerTexts();
      log(`code actions: ${JSON.stringify(titles)}`);
      const idx = titles.findIndex((t) => /^\s*Replace/.test(t) || /factory/i.test(t));
      if (idx >= 0) choice = { idx, title: titles[idx] };
      else {
        await page.keyboard.press('Escape');
        await sleep(2000); // the server may still be analysing
      }
    }
    if (!choice) fail('no quick fix starting with "Replace" or mentioning "factory" was offered');
    log(`choosing quick fix: ${choice.title.trim()}`);
    // The action widget sits under a pointer-blocking overlay: choose with the keyboard.
    const wanted = choice.title.trim();
    let chosen = false;
    for (let i = 0; i < 20 && !chosen; i++) {
      const focused = (await page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label').catch(() => null)) ?? '';
      if (focused.trim() === wanted) {
        await page.keyboard.press('Enter');
        chosen = true;
      } else {
        await page.keyboard.press('ArrowDown');
        await sleep(100);
      }
    }
    if (!chosen) fail(`could not focus the quick fix "${wanted}" in the action widget`);
    const fixed = await poll(
      `the editor to contain ${EXPECTED_FIX}`,
      async () => ((await editorText(page)).includes(EXPECTED_FIX) ? true : undefined),
      WAIT,
    ).catch(async (e) => {
      await page.screenshot({ path: path.join(SHOTS, 'quickfix-failed.png') });
      throw e;
    });
    if (fixed) log('quick fix applied: editor text contains the factory call');

    // Save and check the file on disk: the construction replaced, the factory imported once,
    // nothing else changed.
    await page.keyboard.press('Control+S');
    const want = original.replace(`engine = ${CONSTRUCTION}`, `engine = ${REPLACEMENT}`).split('\n');
    const after = await poll(
      `${REL_FILE} to be saved with the fix`,
      () => {
        const text = fs.readFileSync(path.join(ws, REL_FILE), 'utf8');
        return text.includes(REPLACEMENT) ? text : undefined;
      },
      30_000,
    );
    const afterLines = after.split('\n');
    const imports = afterLines.filter((l) => FACTORY_IMPORT.test(l));
    if (imports.length !== 1) fail(`expected one factory import after the fix, found ${imports.length}:\n${after}`);
    const withoutImport = afterLines.filter((l) => l !== imports[0]);
    if (withoutImport.join('\n') !== want.join('\n')) {
      const diff = [];
      for (let i = 0; i < Math.max(want.length, withoutImport.length) && diff.length < 12; i++) {
        if (want[i] !== withoutImport[i]) diff.push(`line ${i + 1}: want ${JSON.stringify(want[i])} got ${JSON.stringify(withoutImport[i])}`);
      }
      fail(`unexpected edit besides the construction and the import:\n${diff.join('\n')}`);
    }
    if (after.includes(`engine = ${CONSTRUCTION}`)) fail('the construction is still in the saved file');
    log(`saved file: construction replaced by "${REPLACEMENT}", import "${imports[0]}"`);
  } catch (err) {
    if (!(err instanceof E2EError)) throw err;
    problems.push(`quick fix: ${err.message}`);
    log(`quick fix step FAILED: ${err.message}; going on with the tree`);
    await page.keyboard.press('Escape');
  }

  // 3. the violations tree: one row per rule code, with the counts of `ssot_lsp check` on the
  // same (saved) workspace.
  await runCommand(page, 'SSOT: Show Workspace Violations');
  const PANE = 'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " pane ")][1]';
  const paneHeader = page.locator('.pane-header', { hasText: /^\s*SSOT Violations/i }).first();
  const pane = paneHeader.locator(PANE);
  const treeRow = pane.locator('.monaco-list-row', { hasText: /SSOT0\d\d/ }).first();
  try {
    await treeRow.waitFor({ state: 'visible', timeout: WAIT });
  } catch {
    await page.screenshot({ path: path.join(SHOTS, 'tree-failed.png') });
    fail(`the violations tree shows no row with a rule code. Output channel:\n${indent(outputChannelLog(userData))}`);
  }
  // Room for the tree: collapse the folders section and the tree's nodes (best effort).
  try {
    const folders = page.locator('.explorer-folders-view').first().locator(PANE).locator('.pane-header').first();
    if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
    await paneHeader.hover();
    await paneHeader.locator('.action-label[aria-label*="Collapse All"]').click({ timeout: 5000 });
  } catch (e) {
    log(`could not make room for the tree (${String(e.message || e).split('\n')[0]})`);
  }
  const check = spawnSync(python, ['-I', '-m', 'ssot_lsp', 'check', '--format', 'json', '--no-cache', '--exit-zero', '.'], {
    cwd: ws,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (check.status !== 0) fail(`ssot_lsp check failed (exit ${check.status}):\n${check.stderr}`);
  const cliCounts = {};
  for (const v of JSON.parse(check.stdout).violations) cliCounts[v.code] = (cliCounts[v.code] || 0) + 1;
  const codeRows = pane.locator('.monaco-list-row[aria-level="1"]');
  const treeCounts = await poll(
    `the tree's rule rows to match ssot_lsp check ${JSON.stringify(cliCounts)}`,
    async () => {
      const counts = {};
      for (const t of await codeRows.allInnerTexts()) {
        const m = /^\s*(SSOT\d{3})\b[\s\S]*?(\d+) sites?\b/.exec(t);
        if (m) counts[m[1]] = Number(m[2]);
      }
      const same = JSON.stringify(Object.entries(counts).sort()) === JSON.stringify(Object.entries(cliCounts).sort());
      return same ? counts : undefined;
    },
    30_000,
  ).catch(async (e) => {
    const rowsNow = (await codeRows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    await page.screenshot({ path: path.join(SHOTS, 'tree-failed.png') });
    fail(`${e.message}; tree rows: ${JSON.stringify(rowsNow)}`);
  });
  // For the screenshot: a wider side bar (best effort).
  try {
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      const y = sidebar.y + sidebar.height / 2;
      await page.mouse.move(sidebar.x + sidebar.width - 1, y);
      await page.mouse.down();
      await page.mouse.move(sidebar.x + sidebar.width + 260, y, { steps: 10 });
      await page.mouse.up();
    }
  } catch (e) {
    log(`could not widen the side bar (${String(e.message || e).split('\n')[0]})`);
  }
  await sleep(700);
  const rows = await codeRows.allInnerTexts();
  log(`tree rows: ${JSON.stringify(rows.map((r) => r.replace(/\s+/g, ' ').trim()))}`);
  log(`tree counts match ssot_lsp check: ${JSON.stringify(treeCounts)}`);
  await page.screenshot({ path: path.join(SHOTS, 'tree.png') });
  log(`screenshot ${path.join(SHOTS, 'tree.png')}`);
  const status = await page.locator('.statusbar-item', { hasText: 'SSOT' }).allInnerTexts();
  log(`status bar: ${JSON.stringify(status)}`);
  if (consoleErrors.length) log(`browser console errors (${consoleErrors.length}), first: ${consoleErrors[0].slice(0, 300)}`);
  if (problems.length) fail(problems.join('\n'));
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

const deadline = setTimeout(async () => {
  if (finished) return;
  log(`FAIL: overall deadline of ${DEADLINE_S}s exceeded`);
  try {
    await globalThis.__page?.screenshot({ path: path.join(SHOTS, 'deadline.png'), timeout: 5000 });
  } catch {
    /* ignore */
  }
  cleanupSync();
  process.exit(1);
}, DEADLINE_S * 1000);

let code = 0;
try {
  await main();
  log(`PASS (${STAGE}) in ${((Date.now() - T0) / 1000).toFixed(1)}s`);
} catch (err) {
  code = 1;
  const msg = err instanceof E2EError ? err.message : err?.stack || String(err);
  log(`FAIL: ${msg}`);
  try {
    await globalThis.__page?.screenshot({ path: path.join(SHOTS, 'failure.png'), timeout: 5000 });
    log(`screenshot ${path.join(SHOTS, 'failure.png')}`);
  } catch {
    /* ignore */
  }
  if (tmp) {
    const ud = path.join(tmp, 'user-data');
    const ch = outputChannelLog(ud);
    if (ch && !msg.includes('Output channel')) log(`output channel:\n${indent(ch.split('\n').slice(-40).join('\n'))}`);
    const eh = exthostLogs(ud);
    if (eh) log(`extension host logs (tail):\n${indent(eh)}`);
    try {
      const cs = fs.readFileSync(path.join(tmp, 'code-server.log'), 'utf8');
      log(`code-server log (tail):\n${indent(cs.split('\n').slice(-20).join('\n'))}`);
    } catch {
      /* ignore */
    }
    if (env.SSOT_E2E_KEEP) log(`kept ${tmp}`);
  }
} finally {
  finished = true;
  clearTimeout(deadline);
  try {
    await browser?.close();
  } catch {
    /* ignore */
  }
  cleanupSync();
}
process.exit(code);
