"""End-to-end: the Neovim module (editors/nvim) against the real server, in Neovim 0.7 and 0.11.

Each run copies examples/migration-demo, starts headless Neovim with a generated Lua driver that
loads editors/nvim, opens routes/agent_routes.py, waits for diagnostics, applies the "use the
factory" code action at the first ``ExecutionEngine(...)`` inside ``async def``, writes the file,
runs :SsotViolations and dumps what it saw as JSON. The test then checks the file on disk and
compares the quickfix list with ``ssot-lsp check --format json`` on the same copy.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from .worktree_python import server_python  # noqa: F401 - fixture

pytestmark = pytest.mark.editor

REPO = Path(__file__).parents[2]
DEMO = REPO / "examples/migration-demo"
NVIM_RTP = REPO / "editors/nvim"
TARGET = "netra_backend/app/routes/agent_routes.py"
CONSTRUCTION = "ExecutionEngine(registry, websocket_bridge, user_context=ctx)"
REPLACEMENT = "await (await get_execution_engine_factory()).create_for_user(ctx)"
FACTORY_IMPORT = re.compile(
    r"^from netra_backend\.app\.agents\.supervisor(\.execution_engine_factory)? import"
    r" (.*, )?get_execution_engine_factory(,.*)?$"
)
WAIT_MS = 30_000       # every wait inside Neovim
NVIM_TIMEOUT_S = 180   # the whole Neovim run (several bounded waits)

DRIVER = r"""
local P = vim.fn.json_decode(table.concat(vim.fn.readfile(__PARAMS__), '\n'))
local out = { steps = {}, nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }
local function step(name) table.insert(out.steps, name) end
local function dump()
  vim.fn.writefile({ vim.fn.json_encode(out) }, P.out)
end
local function wait(what, fn)
  local ok = vim.wait(P.wait_ms, fn, 50)
  if not ok then error('timed out after ' .. P.wait_ms .. ' ms waiting for ' .. what, 0) end
end

local function main()
  vim.opt.runtimepath:prepend(P.rtp)
  vim.cmd('filetype on')
  local ssot = require('ssot_lsp')
  ssot.setup({ cmd = P.cmd, settings = { debounceMs = 50 } })
  step('setup')

  vim.cmd('edit ' .. vim.fn.fnameescape(P.file))
  local bufnr = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[bufnr].filetype
  local client
  wait('the client to attach and initialize', function()
    client = ssot.client(bufnr)
    return client ~= nil and client.initialized ~= false and client.offset_encoding ~= nil
      and vim.lsp.buf_is_attached(bufnr, client.id)
  end)
  out.client = client.name
  out.offset_encoding = client.offset_encoding
  out.root_dir = client.config.root_dir
  step('attached')

  -- first `ExecutionEngine(` construction inside `async def`
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local in_async, lnum, col = false, nil, nil
  for i, line in ipairs(lines) do
    if line:match('^%s*async%s+def%s') then
      in_async = true
    elseif line:match('^%s*def%s') or line:match('^[%w_@]') then
      in_async = false
    end
    local c = line:find('%f[%w_]ExecutionEngine%(')
    if in_async and c then
      lnum, col = i - 1, c - 1
      break
    end
  end
  if not lnum then error('no ExecutionEngine( construction inside async def', 0) end
  out.fix_line = lnum
  -- the construction resolves through the agents package re-export: its SSOT002 needs the
  -- workspace index, so wait for that diagnostic (published again when indexing ends)
  wait('an SSOT002 diagnostic on line ' .. (lnum + 1), function()
    for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
      if d.code == 'SSOT002' then return true end
    end
    return false
  end)
  out.indexing_after_diagnostics = ssot.is_indexing(client.id)
  local function diags()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(list, { lnum = d.lnum, col = d.col, code = d.code, source = d.source, message = d.message })
    end
    table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
    return list
  end
  out.diagnostics_before = diags()
  step('diagnostics')

  local line = lines[lnum + 1]
  local call_end = line:find(')', col + 1, true) or #line
  local function character(byte)
    if client.offset_encoding == 'utf-8' then return byte end
    local idx32, idx16 = vim.str_utfindex(line, byte)
    return client.offset_encoding == 'utf-32' and idx32 or idx16
  end

  local context_diags = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    if lsp.range then -- 0.10+: the diagnostic as received
      table.insert(context_diags, lsp)
    else -- 0.7: user_data.lsp holds only code/data/...; rebuild the rest
      local function pos(l, c)
        local text = vim.api.nvim_buf_get_lines(bufnr, l, l + 1, false)[1] or ''
        local idx32, idx16 = vim.str_utfindex(text, math.min(c, #text))
        local ch = client.offset_encoding == 'utf-8' and c or (client.offset_encoding == 'utf-32' and idx32 or idx16)
        return { line = l, character = ch }
      end
      table.insert(context_diags, vim.tbl_extend('force', lsp, {
        range = { start = pos(d.lnum, d.col), ['end'] = pos(d.end_lnum or d.lnum, d.end_col or d.col) },
        message = d.message, severity = d.severity, source = d.source, code = d.code or lsp.code,
      }))
    end
  end
  out.context_diagnostics = #context_diags
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = lnum, character = character(col) }, ['end'] = { line = lnum, character = character(call_end) } },
    context = { diagnostics = context_diags, only = { 'quickfix' } },
  }
  local resp, err = ssot.request_sync(client, 'textDocument/codeAction', params, P.wait_ms, bufnr)
  if not resp then error('codeAction request failed: ' .. tostring(err), 0) end
  if resp.err then error('codeAction error: ' .. vim.inspect(resp.err), 0) end
  out.actions = {}
  local chosen
  for _, a in ipairs(resp.result or {}) do
    table.insert(out.actions, { title = a.title, kind = a.kind, isPreferred = a.isPreferred,
      has_edit = a.edit ~= nil, has_data = a.data ~= nil, has_command = a.command ~= nil })
    local t = (a.title or ''):lower()
    if not chosen and (t:find('create_for_user', 1, true) or t:find('factory', 1, true)) then chosen = a end
  end
  if not chosen then error('no code action mentioning the factory / create_for_user', 0) end
  out.action = chosen.title
  step('code action')

  if not chosen.edit and chosen.data ~= nil then
    local r = ssot.request_sync(client, 'codeAction/resolve', chosen, P.wait_ms, bufnr)
    if not r or r.err or not r.result then error('codeAction/resolve failed: ' .. vim.inspect(r), 0) end
    chosen = r.result
    out.resolved = true
  end
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  if chosen.edit then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  end
  local command = chosen.command
  if type(command) == 'string' then command = chosen end
  if type(command) == 'table' then
    local r = ssot.request_sync(client, 'workspace/executeCommand',
      { command = command.command, arguments = command.arguments }, P.wait_ms, bufnr)
    out.command_result = r and r.result
    if not r or r.err then error('executeCommand ' .. command.command .. ' failed: ' .. vim.inspect(r), 0) end
  end
  wait('the edit to reach the buffer', function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end)
  vim.cmd('write')
  step('written')

  -- the server re-analyses the changed buffer: the diagnostic on the fixed line goes away
  local fixed_line = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local new_lnum
  for i, l in ipairs(fixed_line) do
    if l:find('create_for_user', 1, true) then new_lnum = i - 1 break end
  end
  out.diagnostics_cleared = vim.wait(P.wait_ms, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'SSOT002' and d.lnum == new_lnum then return false end
    end
    return true
  end, 50)
  out.diagnostics_after = diags()
  -- the workspace index must be complete before listing the whole workspace
  wait('indexing to end', function() return not ssot.is_indexing(client.id) end)
  out.indexed = ssot.is_indexed(client.id)
  step('reanalysed')

  ssot.last_violations = nil
  vim.cmd('SsotViolations')
  wait(':SsotViolations', function() return ssot.last_violations ~= nil end)
  if ssot.last_violations.error then error('ssot.listViolations: ' .. vim.inspect(ssot.last_violations.error), 0) end
  local qf = vim.fn.getqflist({ title = 1, items = 1, size = 1 })
  out.qf_title = qf.title
  out.qf_size = qf.size
  out.qf = {}
  for _, item in ipairs(qf.items) do
    table.insert(out.qf, { filename = vim.fn.bufname(item.bufnr), lnum = item.lnum, col = item.col,
      text = item.text, type = item.type })
  end
  step('violations')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then out.error = tostring(err) end
dump()
vim.cmd('qa!')
"""


FIX_ALL_DRIVER = r"""
local P = vim.fn.json_decode(table.concat(vim.fn.readfile(__PARAMS__), '\n'))
local out = { steps = {} }
local function wait(what, fn)
  if not vim.wait(P.wait_ms, fn, 50) then error('timed out after ' .. P.wait_ms .. ' ms waiting for ' .. what, 0) end
end
local ok, err = xpcall(function()
  vim.opt.runtimepath:prepend(P.rtp)
  vim.cmd('filetype on')
  local ssot = require('ssot_lsp')
  ssot.setup({ cmd = P.cmd })  -- default (empty) settings
  vim.cmd('edit ' .. vim.fn.fnameescape(P.file))
  local client
  wait('the client', function() client = ssot.client(0) return client ~= nil and client.offset_encoding ~= nil end)
  wait('indexing to end', function() return ssot.is_indexed(client.id) end)
  ssot.last_fix_all = nil
  vim.cmd('SsotFixAll!')
  wait(':SsotFixAll!', function() return ssot.last_fix_all ~= nil end)
  out.summary = ssot.last_fix_all
  out.modified = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.bo[b].modified then table.insert(out.modified, vim.api.nvim_buf_get_name(b)) end
  end
  vim.cmd('wall')
end, debug.traceback)
if not ok then out.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(out) }, P.out)
vim.cmd('qa!')
"""


def run_neovim(neovim, workspace: Path, tmp_path: Path, python: str, driver: str = DRIVER,
               target: str = TARGET) -> tuple[dict, str]:
    """Run a driver with the server of this checkout (``python``); returns (what it reported,
    Neovim's stdout+stderr)."""
    out = tmp_path / "result.json"
    params = tmp_path / "params.json"
    params.write_text(json.dumps({
        "rtp": str(NVIM_RTP),
        "cmd": [python, "-I", "-m", "ssot_lsp", "serve"],
        "file": str(workspace / target),
        "out": str(out),
        "wait_ms": WAIT_MS,
    }), encoding="utf-8")
    script = tmp_path / "driver.lua"
    script.write_text(driver.replace("__PARAMS__", json.dumps(str(params))), encoding="utf-8")
    home = tmp_path / "home"
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    env.pop("VIMINIT", None)
    env.pop("NVIM_LISTEN_ADDRESS", None)
    cmd = [neovim.path, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {script}"]
    proc = subprocess.Popen(cmd, cwd=workspace, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=NVIM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        pytest.fail(f"Neovim {neovim.version} did not finish in {NVIM_TIMEOUT_S} s\n"
                    f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n"
                    f"--- partial result ---\n{out.read_text() if out.exists() else '(none)'}")
    log = f"--- nvim exit {proc.returncode} stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
    lsp_logs = list(home.rglob("lsp.log"))
    if lsp_logs:
        log += "\n--- lsp.log (tail) ---\n" + lsp_logs[0].read_text(errors="replace")[-4000:]
    if not out.exists():
        pytest.fail(f"Neovim {neovim.version} wrote no result\n{log}")
    return json.loads(out.read_text(encoding="utf-8")), log


def cli_check(workspace: Path, python: str) -> dict:
    proc = subprocess.run(
        [python, "-I", "-m", "ssot_lsp", "check", "--format", "json", "--no-cache", "--exit-zero", "."],
        check=False, cwd=workspace, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def byte_column(workspace: Path, rel: str, line: int, column: int) -> int:
    """1-based code-point column (CLI) -> 1-based byte column (quickfix)."""
    text = (workspace / rel).read_text(encoding="utf-8")
    lines = re.split(r"\r\n|\r|\n", text)
    return len(lines[line - 1][: column - 1].encode("utf-8")) + 1


# added to the copy: non-ASCII text before the sites, so their columns differ in UTF-8 (0.11),
# UTF-16 (0.7) and code points (the CLI); the quickfix list must show byte columns
UNICODE_FILE = "netra_backend/app/services/unicode_caller.py"
UNICODE_TEXT = '''"""Grüße 😀: non-ASCII before the sites."""
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # ünï


def build(registry, bridge, ctx):
    label = "Grüße 😀 日本"; engine = ExecutionEngine(registry, bridge, user_context=ctx)
    return label, engine
'''

SEVERITY_TYPE = {"error": "E", "warning": "W", "information": "I", "hint": "I"}


def expected_file(original: str) -> str:
    assert original.count(f"engine = {CONSTRUCTION}") == 1  # run_agent
    return original.replace(f"engine = {CONSTRUCTION}", f"engine = {REPLACEMENT}", 1)


def test_fix_and_list_violations(neovim, tmp_path, server_python):
    workspace = tmp_path / "migration-demo"
    shutil.copytree(DEMO, workspace, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    (workspace / UNICODE_FILE).write_text(UNICODE_TEXT, encoding="utf-8")
    original = (workspace / TARGET).read_text(encoding="utf-8")

    started = time.monotonic()
    result, log = run_neovim(neovim, workspace, tmp_path, server_python)
    elapsed = time.monotonic() - started
    print(f"Neovim {result.get('nvim')} ({neovim.path}): {elapsed:.1f} s, steps {result.get('steps')}, "
          f"encoding {result.get('offset_encoding')}")
    context = f"\nNeovim reported:\n{json.dumps(result, indent=1)[:6000]}\n{log}"

    assert "error" not in result, f"driver failed: {result['error']}{context}"
    assert result["nvim"] == neovim.version, context
    assert result["filetype"] == "python", context
    assert Path(result["root_dir"]).resolve() == workspace.resolve(), context
    assert result["fix_line"] == original.splitlines().index(f"    engine = {CONSTRUCTION}"), context
    assert any(d["code"] == "SSOT002" and d["lnum"] == result["fix_line"] and d["source"] == "ssot"
               for d in result["diagnostics_before"]), context
    assert "create_for_user" in result["action"] or "factory" in result["action"].lower(), context

    # 1. the file on disk: the construction replaced, the factory imported, nothing else changed
    after = (workspace / TARGET).read_text(encoding="utf-8")
    expected = expected_file(original)
    after_lines, expected_lines = after.splitlines(), expected.splitlines()
    added = [line for line in after_lines if FACTORY_IMPORT.match(line)]
    assert len(added) == 1, f"factory import missing or repeated:\n{after}{context}"
    import_at = after_lines.index(added[0])
    first_code = next(i for i, line in enumerate(after_lines) if line.startswith(("logger", "router", "def ", "@")))
    assert import_at < first_code, f"factory import is not in the import block:\n{after}"
    without_import = after_lines[:import_at] + after_lines[import_at + 1:]
    assert without_import == expected_lines, "unexpected edit:\n" + "\n".join(
        difflib.unified_diff(expected_lines, after_lines, "expected", "after", lineterm=""))
    assert after.endswith("\n")
    assert result["diagnostics_cleared"], f"the SSOT002 diagnostic stayed after the fix{context}"

    # 2. :SsotViolations == `ssot-lsp check` on the same (edited) copy
    report = cli_check(workspace, server_python)
    cli = report["violations"]
    qf = result["qf"]
    assert result["qf_title"] == "SSOT violations", context
    assert result["qf_size"] == len(qf) == len(cli), (
        f"quickfix {len(qf)} entries, CLI {len(cli)}: qf codes {Counter(q['text'].split()[0] for q in qf)}, "
        f"CLI {report['counts']}{context}")

    def qf_key(item):
        rel = Path(item["filename"])
        rel = rel.resolve().relative_to(workspace.resolve()) if rel.is_absolute() else rel
        code, _, message = item["text"].partition(" ")
        return (rel.as_posix(), item["lnum"], item["col"], code, message, item["type"])

    def cli_key(v):
        col = byte_column(workspace, v["path"], v["line"], v["column"])
        return (v["path"], v["line"], col, v["code"], v["message"], SEVERITY_TYPE[v["severity"]])

    qf_keys = sorted(qf_key(q) for q in qf)
    cli_keys = sorted(cli_key(v) for v in cli)
    # every site (file, line, code) agrees
    assert Counter(k[:2] + k[3:4] for k in qf_keys) == Counter(k[:2] + k[3:4] for k in cli_keys), (
        "\n".join(difflib.unified_diff([repr(k[:4]) for k in cli_keys], [repr(k[:4]) for k in qf_keys],
                                       "cli", "quickfix", lineterm="")))
    # a few exact entries: position (byte column), message, type
    def line_of(needle: str) -> int:
        return next(i for i, text in enumerate(after_lines, 1) if needle in text)

    for path, line in [(TARGET, line_of("    ExecutionEngine,  # v1")),
                       (TARGET, line_of("import RequestScopedExecutionEngine")),
                       (TARGET, line_of("RequestScopedExecutionEngine(ctx")),
                       (TARGET, line_of("async with ExecutionEngine(")),
                       ("netra_backend/app/agents/broken_agent.py", 18),
                       ("tests/test_agent_routes.py", 22),
                       (UNICODE_FILE, 6)]:
        want = [k for k in cli_keys if k[0] == path and k[1] == line]
        got = [k for k in qf_keys if k[0] == path and k[1] == line]
        assert want and got == want, f"{path}:{line}: CLI {want} quickfix {got}"
    # (the non-ASCII site really has different code-point and byte columns)
    site = next(v for v in cli if v["path"] == UNICODE_FILE and v["code"] == "SSOT002")
    assert byte_column(workspace, UNICODE_FILE, site["line"], site["column"]) != site["column"]
    # the fixed construction is gone from both
    fixed_line = after_lines.index(f"    engine = {REPLACEMENT}") + 1
    assert not [k for k in qf_keys if k[0] == TARGET and k[1] == fixed_line and k[3] == "SSOT002"]


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}


def test_fix_all_matches_cli(neovim, tmp_path, server_python):
    """:SsotFixAll! (server edits applied through workspace/applyEdit, then :wall) == `ssot-lsp fix --unsafe-fixes`."""
    ignore = shutil.ignore_patterns(".ssot-cache", "__pycache__")
    workspace = tmp_path / "migration-demo"
    shutil.copytree(DEMO, workspace, ignore=ignore)
    by_cli = tmp_path / "by-cli"
    shutil.copytree(DEMO, by_cli, ignore=ignore)
    proc = subprocess.run([server_python, "-I", "-m", "ssot_lsp", "fix", "--no-cache", "--unsafe-fixes", "--exit-zero", "."],
                          check=False, cwd=by_cli, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr

    result, log = run_neovim(neovim, workspace, tmp_path, server_python, FIX_ALL_DRIVER)
    context = f"\nNeovim reported:\n{json.dumps(result, indent=1)[:4000]}\n{log}"
    assert "error" not in result, f"driver failed: {result['error']}{context}"
    summary = result["summary"]
    assert summary["fixedSites"] > 0 and summary["skippedFiles"] == [], context

    got, want = tree(workspace), tree(by_cli)
    changed = sorted(rel for rel in want if want[rel] != (DEMO / rel).read_text(encoding="utf-8"))
    assert summary["files"] == len(changed), f"summary {summary}, CLI changed {changed}{context}"
    assert sorted(Path(m).resolve().relative_to(workspace.resolve()).as_posix() for m in result["modified"]) == changed
    for rel in sorted(want):
        assert got[rel] == want[rel], f"{rel} differs from `ssot-lsp fix`:\n" + "\n".join(
            difflib.unified_diff(want[rel].splitlines(), got[rel].splitlines(), "cli", "neovim", lineterm=""))


COLD_START_DRIVER = r"""
local P = vim.fn.json_decode(table.concat(vim.fn.readfile(__PARAMS__), '\n'))
local out = { messages = {}, statuses = {} }
local function wait(what, fn)
  if not vim.wait(P.wait_ms, fn, 20) then error('timed out after ' .. P.wait_ms .. ' ms waiting for ' .. what, 0) end
end
-- what the user sees: vim.notify and the progress line (nvim_echo without history)
local notify, echo = vim.notify, vim.api.nvim_echo
vim.notify = function(msg, ...) table.insert(out.messages, msg) return notify(msg, ...) end
vim.api.nvim_echo = function(chunks, ...)
  local text = {}
  for _, c in ipairs(chunks) do table.insert(text, c[1]) end
  table.insert(out.messages, table.concat(text))
  return echo(chunks, ...)
end
local ok, err = xpcall(function()
  vim.opt.runtimepath:prepend(P.rtp)
  vim.cmd('filetype on')
  local ssot = require('ssot_lsp')
  ssot.setup({ cmd = P.cmd })
  -- the statusline recipe of editors/nvim/README.md: what it would show on each update
  vim.api.nvim_create_autocmd('User', { pattern = 'SsotProgress', callback = function()
    table.insert(out.statuses, ssot.status())
  end })
  vim.cmd('edit ' .. vim.fn.fnameescape(P.file))
  local client
  wait('the client', function()
    client = ssot.client(0)
    return client ~= nil and client.initialized ~= false and client.offset_encoding ~= nil
  end)
  -- at once, as a user who opens Neovim and asks for the list
  out.indexed_before = ssot.is_indexed(client.id)
  ssot.last_violations = nil
  vim.cmd('SsotViolations')
  wait(':SsotViolations', function() return ssot.last_violations ~= nil end)
  if ssot.last_violations.error then error(vim.inspect(ssot.last_violations.error), 0) end
  out.count = ssot.last_violations.count
  out.qf_size = vim.fn.getqflist({ size = 1 }).size
  wait('the message with the count', function()
    local last = out.messages[#out.messages]
    return last ~= nil and last:find('violation', 1, true) ~= nil
  end)
  out.status_after = ssot.status()
end, debug.traceback)
if not ok then out.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(out) }, P.out)
vim.cmd('qa!')
"""


@pytest.fixture(scope="module")
def large_workspace(tmp_path_factory) -> Path:
    """A 3,000-file half-migrated monorepo (benchmarks/generate_corpus.py, the realistic corpus:
    backups, tests, 1.3 M lines): its first index takes long enough (about 5 s here) to ask for
    the list during it."""
    out = tmp_path_factory.mktemp("corpus") / "monorepo"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--out", str(out),
                    "--files", "3000", "--seed", "3"],
                   check=True, capture_output=True, timeout=300)
    return out


def test_violations_on_a_cold_start_say_how_far_indexing_is(neovim, tmp_path, server_python, large_workspace):
    """:SsotViolations right after start-up says that the server indexes (and how far, from its
    $/progress) instead of waiting silently, then fills the quickfix list with the whole list."""
    workspace = tmp_path / "monorepo"
    shutil.copytree(large_workspace, workspace)   # a fresh copy: no index cache from another run
    target = next(p for p in sorted(workspace.glob("netra_backend/app/**/*.py")) if p.name != "__init__.py")
    result, log = run_neovim(neovim, workspace, tmp_path, server_python, COLD_START_DRIVER,
                             target=target.relative_to(workspace).as_posix())
    context = f"\nNeovim reported:\n{json.dumps(result, indent=1)[:4000]}\n{log}"
    assert "error" not in result, f"driver failed: {result['error']}{context}"
    assert result["indexed_before"] is False, f"the index was complete before the command{context}"
    messages = result["messages"]
    first = messages[0]
    assert first.startswith("SSOT: ") and ("indexing the workspace" in first or "waiting for the server to index" in first), context
    assert first.endswith("the list follows when it is done"), context
    assert any(re.search(r"indexing the workspace \(\d+%, \d+/\d+ files\)", m) for m in messages), (
        f"no message says how far indexing is{context}")
    # the statusline function followed the progress and is empty once the index is ready
    assert any(re.fullmatch(r"SSOT: indexing \d+%", s) for s in result["statuses"]), context
    assert result["statuses"][-1] == "" and result["status_after"] == "", context
    report = cli_check(workspace, server_python)
    total, files = len(report["violations"]), len({v["path"] for v in report["violations"]})
    assert result["count"] == result["qf_size"] == total, context
    assert messages[-1] == f"SSOT: {total} violation(s) in {files} file(s)", context
