--- ssot-lsp client for Neovim 0.7 – 0.11+.
---
--- require('ssot_lsp').setup({
---   cmd = { 'python3', '-I', '-m', 'ssot_lsp', 'serve' },   -- default
---   settings = { severity = { SSOT004 = 'warning' } },        -- the `ssotLsp` section
--- })
---
--- Starts (or reuses) one client per root directory for every `python` buffer and defines
--- :SsotViolations [path] (quickfix list of every violation) and :SsotFixAll[!] (apply the
--- server's verified fixes; with ! also the unsafe ones). See editors/nvim/README.md.

local M = {}

M.name = 'ssot_lsp'

local INDEX_TITLE = 'SSOT: indexing workspace'
local QF_TITLE = 'SSOT violations'

local defaults = {
  name = M.name,
  cmd = { 'python3', '-I', '-m', 'ssot_lsp', 'serve' },
  -- working directory of the server process: outside the workspace (docs/protocol.md);
  -- nil = the system temporary directory
  cmd_cwd = nil,
  cmd_env = nil,
  filetypes = { 'python' },
  root_markers = { 'pyproject.toml', 'ssot-lsp.toml', '.git' },
  -- string, or function(fname, bufnr) -> string|nil; nil = search root_markers upward from the
  -- file, falling back to the current working directory
  root_dir = nil,
  -- the `ssotLsp` settings section (docs/protocol.md, "Settings")
  settings = {},
  capabilities = nil,
  handlers = nil,
  on_attach = nil,
  on_init = nil,
  flags = nil,
  autostart = true,
  commands = true,
}

M.config = vim.deepcopy(defaults)

-- per client id: { indexing = bool, tokens = {token = true}, indexed = bool, waiters = {fn...},
--   percentage = number|nil, message = string|nil (the last indexing report), listing = bool }
M.state = {}

-- result of the last :SsotViolations / :SsotFixAll (for scripts and tests)
M.last_violations = nil
M.last_fix_all = nil

local uv = vim.loop or vim.uv

local function has(feature)
  return vim.fn.has(feature) == 1
end

local function notify(msg, level)
  vim.schedule(function()
    vim.notify(msg, level or vim.log.levels.INFO)
  end)
end

-- ---------------------------------------------------------------------------------------
-- compatibility helpers (0.7 ... 0.11)
-- ---------------------------------------------------------------------------------------

local function get_clients(filter)
  filter = filter or {}
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients()
  else
    all = vim.lsp.get_active_clients()
  end
  local out = {}
  for _, client in ipairs(all) do
    local ok = client.name == (filter.name or M.config.name)
    if ok and filter.bufnr then
      ok = vim.lsp.buf_is_attached(filter.bufnr, client.id)
    end
    if ok then
      table.insert(out, client)
    end
  end
  return out
end
M.get_clients = get_clients

--- client:name(...) on 0.11, which deprecates the dot form; client.name(...) before
local function client_call(client, name, ...)
  if has('nvim-0.11') then
    return client[name](client, ...)
  end
  return client[name](...)
end

local function client_is_stopped(client)
  return client_call(client, 'is_stopped')
end

function M.request(client, method, params, handler, bufnr)
  return client_call(client, 'request', method, params, handler, bufnr)
end

function M.request_sync(client, method, params, timeout_ms, bufnr)
  return client_call(client, 'request_sync', method, params, timeout_ms, bufnr)
end

local function is_dir(path)
  local stat = uv.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function parent(dir)
  local p = vim.fn.fnamemodify(dir, ':h')
  if p == dir then
    return nil
  end
  return p
end

--- first directory at or above `start` holding one of `markers` (no vim.fs on 0.7)
function M.find_root(start, markers)
  local dir = start
  if not is_dir(dir) then
    dir = vim.fn.fnamemodify(dir, ':h')
  end
  while dir and dir ~= '' do
    for _, marker in ipairs(markers) do
      if exists(dir .. '/' .. marker) then
        return dir
      end
    end
    dir = parent(dir)
  end
  return nil
end

local function resolve_root(fname, bufnr, markers)
  local root = not markers and M.config.root_dir or nil
  if type(root) == 'function' then
    root = root(fname, bufnr)
  end
  if root == nil or root == '' then
    root = M.find_root(fname, markers or M.config.root_markers)
  end
  if root == nil or root == '' then
    root = vim.fn.getcwd()
  end
  root = vim.fn.fnamemodify(root, ':p')
  if #root > 1 then
    root = root:gsub('/$', '')
  end
  return root
end

local function default_cwd()
  local tmp = (uv.os_tmpdir and uv.os_tmpdir()) or os.getenv('TMPDIR') or '/tmp'
  if is_dir(tmp) then
    return tmp
  end
  return nil
end

--- byte column (0-based) of the `character` (0-based, in `encoding`) on `line`
function M.byte_col(line, character, encoding)
  if not line or character <= 0 then
    return 0
  end
  if encoding == 'utf-8' then
    return math.min(character, #line)
  end
  local ok, col
  if has('nvim-0.11') then
    ok, col = pcall(vim.str_byteindex, line, encoding or 'utf-16', character, false)
  else
    ok, col = pcall(vim.str_byteindex, line, character, encoding ~= 'utf-32')
  end
  if ok and col then
    return math.min(col, #line)
  end
  return #line
end

local line_cache = {}

local function get_line(fname, lnum0)
  local bufnr = vim.fn.bufnr(fname)
  if bufnr ~= -1 and vim.api.nvim_buf_is_loaded(bufnr) then
    return vim.api.nvim_buf_get_lines(bufnr, lnum0, lnum0 + 1, false)[1] or ''
  end
  local lines = line_cache[fname]
  if lines == nil then
    local ok, read = pcall(vim.fn.readfile, fname)
    lines = ok and read or {}
    line_cache[fname] = lines
  end
  return (lines[lnum0 + 1] or ''):gsub('\r$', '')
end

-- ---------------------------------------------------------------------------------------
-- progress tracking (indexing)
-- ---------------------------------------------------------------------------------------

local function state_of(client_id)
  local s = M.state[client_id]
  if not s then
    s = { indexing = false, indexed = false, tokens = {}, waiters = {}, listing = false }
    M.state[client_id] = s
  end
  return s
end

--- "indexing the workspace (42%, 1234/3831 files)", or nil when the index is ready
local function indexing_text(s)
  if s.indexed and not s.indexing then
    return nil
  end
  local parts = {}
  if s.percentage then
    table.insert(parts, string.format('%d%%', s.percentage))
  end
  if s.message and s.message ~= '' then
    table.insert(parts, s.message)
  end
  if not s.indexing then
    return 'waiting for the server to index the workspace'
  end
  if #parts == 0 then
    return 'indexing the workspace'
  end
  return 'indexing the workspace (' .. table.concat(parts, ', ') .. ')'
end

--- one line for a statusline: "SSOT: indexing 42%" while the server indexes, else ''
--- (all ssot clients, or the one of `bufnr`): `%{v:lua.require'ssot_lsp'.status()}`
function M.status(bufnr)
  for id, s in pairs(M.state) do
    local client = vim.lsp.get_client_by_id(id)
    local attached = bufnr == nil or (client and vim.lsp.buf_is_attached(bufnr, id))
    if attached and s.indexing then
      return 'SSOT: indexing' .. (s.percentage and string.format(' %d%%', s.percentage) or '')
    end
  end
  return ''
end

--- a progress line that replaces the previous one and stays out of :messages
local function echo_progress(text)
  vim.schedule(function()
    vim.api.nvim_echo({ { text } }, false, {})
  end)
end

local function fire_user(pattern)
  pcall(vim.api.nvim_exec_autocmds, 'User', { pattern = pattern, modeline = false })
end

--- Pull-diagnostics clients (0.10+): ask again for every attached buffer of `client_id`.
--- The first pull of a buffer may be answered before the workspace index exists (no cross-file
--- findings yet), and Neovim does not implement `workspace/diagnostic/refresh`, so the module
--- re-pulls itself when indexing ends.
function M.refresh_diagnostics(client_id)
  if not has('nvim-0.10') then
    return -- 0.7 - 0.9: push diagnostics only; the server publishes again by itself
  end
  local client = vim.lsp.get_client_by_id(client_id)
  if not client or client_is_stopped(client) then
    return
  end
  if not (client.server_capabilities or {}).diagnosticProvider then
    return
  end
  for bufnr in pairs(client.attached_buffers or {}) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      -- nil handler: the default textDocument/diagnostic handler stores the result
      M.request(client, 'textDocument/diagnostic', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, nil, bufnr)
    end
  end
end

local function progress_handler(err, result, ctx, config)
  local global = vim.lsp.handlers['$/progress']
  local ret
  if global then
    ret = global(err, result, ctx, config)
  end
  if result and type(result.value) == 'table' then
    local s = state_of(ctx.client_id)
    local value = result.value
    if value.kind == 'begin' and value.title == INDEX_TITLE then
      s.tokens[result.token] = true
      s.indexing = true
      s.percentage, s.message = value.percentage, nil
      vim.schedule(function()
        fire_user('SsotProgress')
      end)
    elseif value.kind == 'report' and s.tokens[result.token] then
      s.percentage = value.percentage or s.percentage
      s.message = value.message or s.message
      if s.listing then
        echo_progress('SSOT: ' .. indexing_text(s) .. '; the list follows')
      end
      vim.schedule(function()
        fire_user('SsotProgress')
      end)
    elseif value.kind == 'end' and s.tokens[result.token] then
      s.tokens[result.token] = nil
      if next(s.tokens) == nil then
        s.indexing = false
        s.indexed = true
        s.percentage, s.message = nil, nil
        local client_id = ctx.client_id
        vim.schedule(function()
          M.refresh_diagnostics(client_id)
        end)
        local waiters = s.waiters
        s.waiters = {}
        for _, fn in ipairs(waiters) do
          vim.schedule(fn)
        end
        vim.schedule(function()
          fire_user('SsotProgress')
          fire_user('SsotIndexed')
        end)
      end
    end
  end
  return ret
end

--- true while the server reports "SSOT: indexing workspace"
function M.is_indexing(client_id)
  return state_of(client_id).indexing
end

--- true once an indexing run ended
function M.is_indexed(client_id)
  return state_of(client_id).indexed
end

-- ---------------------------------------------------------------------------------------
-- client start / attach
-- ---------------------------------------------------------------------------------------

-- an empty Lua table is encoded as a JSON array; the server wants an object
local function as_object(t)
  if t == nil or (type(t) == 'table' and next(t) == nil) then
    return vim.empty_dict()
  end
  return t
end
M.as_object = as_object

local function make_config(root)
  local cfg = M.config
  local settings = as_object(cfg.settings)
  local handlers = vim.tbl_extend('force', { ['$/progress'] = progress_handler }, cfg.handlers or {})
  return {
    name = cfg.name,
    cmd = cfg.cmd,
    cmd_cwd = cfg.cmd_cwd or default_cwd(),
    cmd_env = cfg.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    capabilities = cfg.capabilities or vim.lsp.protocol.make_client_capabilities(),
    handlers = handlers,
    init_options = { ssotLsp = settings },
    settings = { ssotLsp = settings },
    flags = cfg.flags,
    on_init = cfg.on_init,
    on_attach = cfg.on_attach,
    on_exit = function(_, _, client_id)
      M.state[client_id] = nil
    end,
  }
end

local started = {} -- 0.7: root -> client id

--- start or reuse the client for `bufnr` (default: current buffer); returns the client id
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == '' then
    return nil
  end
  fname = vim.fn.fnamemodify(fname, ':p')
  local root = resolve_root(fname, bufnr)
  local config = make_config(root)

  if vim.lsp.start then -- 0.8+
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(config, {
        bufnr = bufnr,
        reuse_client = function(client, conf)
          return client.name == conf.name and client.config.root_dir == conf.root_dir
            and not client_is_stopped(client)
        end,
      })
    end)
    return id
  end

  -- 0.7
  local id = started[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    started[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- ---------------------------------------------------------------------------------------
-- commands
-- ---------------------------------------------------------------------------------------

--- the ssot client for the current buffer, else any running one
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local clients = get_clients({ bufnr = bufnr })
  if #clients == 0 then
    clients = get_clients()
  end
  return clients[1]
end

local SEVERITY_TYPE = { error = 'E', warning = 'W', information = 'I', info = 'I', hint = 'I' }
local NUMERIC_TYPE = { 'E', 'W', 'I', 'I' }

--- convert the `ssot.listViolations` result to quickfix items (1-based byte columns)
function M.to_qf_items(violations, encoding)
  line_cache = {}
  local items = {}
  for _, v in ipairs(violations or {}) do
    local fname
    if v.uri then
      fname = vim.uri_to_fname(v.uri)
    else
      fname = v.path
    end
    local range = v.range or { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } }
    local s, e = range.start, range['end'] or range.start
    local sline = get_line(fname, s.line)
    local eline = e.line == s.line and sline or get_line(fname, e.line)
    local sev = v.severity
    local typ = type(sev) == 'number' and NUMERIC_TYPE[sev] or SEVERITY_TYPE[sev] or 'W'
    local text = v.message or ''
    if v.code then
      text = v.code .. ' ' .. text
    end
    table.insert(items, {
      filename = fname,
      lnum = s.line + 1,
      col = M.byte_col(sline, s.character, encoding) + 1,
      end_lnum = e.line + 1,
      end_col = M.byte_col(eline, e.character, encoding) + 1,
      text = text,
      type = typ,
    })
  end
  table.sort(items, function(a, b)
    if a.filename ~= b.filename then
      return a.filename < b.filename
    end
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  line_cache = {}
  return items
end

local function path_arg(path)
  if path == nil or path == '' then
    return nil
  end
  local full = vim.fn.fnamemodify(vim.fn.expand(path), ':p')
  if #full > 1 then
    full = full:gsub('/$', '')
  end
  return { { uri = vim.uri_from_fname(full) } }
end

--- run a server command: find the client, report a failure (remembered in M[last_key] and passed
--- to opts.callback), else hand the result to on_result(client, result)
local function execute(command, arguments, last_key, opts, on_result)
  local client = M.client()
  if not client then
    notify('SSOT: no ssot-lsp client running', vim.log.levels.WARN)
    return
  end
  local params = { command = command, arguments = arguments }
  M.request(client, 'workspace/executeCommand', params, function(err, result)
    if err then
      notify('SSOT: ' .. command .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      M[last_key] = { error = err }
      if opts.callback then
        opts.callback(err, nil)
      end
      return
    end
    on_result(client, result)
  end, vim.api.nvim_get_current_buf())
end

--- run `ssot.listViolations`, fill the quickfix list; opts = { path?, open = true, callback? }
--- The server answers once its workspace index is complete; until then the command line says
--- how far indexing is (from the server's `$/progress`), instead of a silent wait.
function M.list_violations(opts)
  opts = opts or {}
  local client = M.client()
  local s = client and state_of(client.id)
  if s and not opts._refresh then
    local waiting = indexing_text(s)
    if waiting then
      s.listing = true
      notify('SSOT: ' .. waiting .. '; the list follows when it is done')
    end
  end
  local done = opts.callback
  opts = vim.tbl_extend('force', opts, {
    callback = function(...)
      if s then
        s.listing = false
      end
      if done then
        done(...)
      end
    end,
  })
  execute('ssot.listViolations', path_arg(opts.path), 'last_violations', opts, function(client, result)
    local items = M.to_qf_items(result or {}, client.offset_encoding)
    vim.fn.setqflist({}, ' ', { title = QF_TITLE, items = items })
    M.last_violations = { count = #items, result = result }
    local s = state_of(client.id)
    local suffix = s.indexing and ' (indexing still running; the list is refreshed when it ends)' or ''
    if opts.open ~= false then
      vim.cmd('copen')
      vim.cmd('wincmd p')
    end
    if #items == 0 then
      notify('SSOT: no violations' .. suffix)
    else
      local files = {}
      for _, item in ipairs(items) do
        files[item.filename] = true
      end
      notify(string.format('SSOT: %d violation(s) in %d file(s)%s', #items, vim.tbl_count(files), suffix))
    end
    if s.indexing and not opts._refresh then
      table.insert(s.waiters, function()
        M.list_violations(vim.tbl_extend('force', opts, { _refresh = true, open = false }))
      end)
    end
    if opts.callback then
      opts.callback(nil, items)
    end
  end)
end

local function count(x)
  if type(x) == 'table' then
    return #x
  end
  return tonumber(x) or 0
end

--- run `ssot.fixAll` (the server applies the edits through workspace/applyEdit)
function M.fix_all(opts)
  opts = opts or {}
  local arguments = { { unsafe = opts.unsafe and true or false } }
  execute('ssot.fixAll', arguments, 'last_fix_all', opts, function(_, result)
    result = result or {}
    M.last_fix_all = result
    local msg = string.format(
      'SSOT: fixed %d site(s) in %d file(s); %d unfixable; %d file(s) skipped',
      count(result.fixedSites),
      count(result.files),
      count(result.unfixableSites),
      count(result.skippedFiles)
    )
    if count(result.fixedSites) > 0 then
      msg = msg .. ' (changed buffers are not saved: :wall)'
    end
    notify(msg)
    if opts.callback then
      opts.callback(nil, result)
    end
  end)
end

function M.create_commands()
  vim.api.nvim_create_user_command('SsotViolations', function(a)
    M.list_violations({ path = a.args })
  end, { nargs = '?', complete = 'file', desc = 'ssot-lsp: quickfix list of SSOT violations' })
  vim.api.nvim_create_user_command('SsotFixAll', function(a)
    M.fix_all({ unsafe = a.bang })
  end, { bang = true, nargs = 0, desc = 'ssot-lsp: apply verified fixes (! = also unsafe ones)' })
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if opts and opts.cmd then
    M.config.cmd = opts.cmd -- lists are replaced, not merged
  end
  if opts and opts.root_markers then
    M.config.root_markers = opts.root_markers
  end
  if opts and opts.filetypes then
    M.config.filetypes = opts.filetypes
  end
  if M.config.commands then
    M.create_commands()
  end
  if M.config.autostart then
    local group = vim.api.nvim_create_augroup('ssot_lsp', { clear = true })
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = M.config.filetypes,
      callback = function(args)
        M.attach(args.buf)
      end,
    })
    -- buffers already open when setup() runs
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
        M.attach(bufnr)
      end
    end
  end
end

--- config table for vim.lsp.config (0.11+) and lsp/ssot_lsp.lua
function M.lsp_config(overrides)
  local settings = as_object(overrides and overrides.settings and overrides.settings.ssotLsp)
  local handlers = { ['$/progress'] = progress_handler }
  return vim.tbl_deep_extend('force', {
    cmd = vim.deepcopy(defaults.cmd),
    cmd_cwd = default_cwd(),
    filetypes = vim.deepcopy(defaults.filetypes),
    -- root_markers upward from the file, else the current directory (a workspace without
    -- pyproject.toml / .git still gets a root, like with setup())
    root_dir = function(bufnr, on_dir)
      local fname = vim.api.nvim_buf_get_name(bufnr)
      if fname == '' or vim.bo[bufnr].buftype ~= '' then
        return
      end
      on_dir(resolve_root(vim.fn.fnamemodify(fname, ':p'), bufnr, defaults.root_markers))
    end,
    settings = { ssotLsp = settings },
    handlers = handlers,
    -- settings may be changed later with vim.lsp.config(): send what the client ends up with
    before_init = function(params, config)
      config.settings = config.settings or {}
      config.settings.ssotLsp = as_object(config.settings.ssotLsp)
      params.initializationOptions = { ssotLsp = config.settings.ssotLsp }
    end,
    on_init = function()
      M.create_commands()
    end,
  }, overrides or {})
end

return M
