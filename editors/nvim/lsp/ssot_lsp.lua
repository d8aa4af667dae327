-- Neovim 0.11+ `lsp/` configuration for ssot-lsp, picked up by vim.lsp.enable('ssot_lsp') when
-- editors/nvim is on 'runtimepath'. Override any field with vim.lsp.config('ssot_lsp', {...}),
-- e.g. cmd = { '/path/to/venv/bin/python', '-I', '-m', 'ssot_lsp', 'serve' } or
-- settings = { ssotLsp = { severity = { SSOT004 = 'warning' } } }.
-- The first client that starts defines :SsotViolations and :SsotFixAll.
return require('ssot_lsp').lsp_config()
