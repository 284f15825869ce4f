-- nvim_session.lua: a real Neovim, headless, drives glossary-ls through
-- the plugin in editors/neovim: diagnostics, hover, completion and a code
-- action applied to the buffer. Results go to $GLS_OUT as JSON for
-- tests/integration/test_editors.py to check.
local repo = os.getenv('GLS_REPO')
local binary = os.getenv('GLS_BINARY')
local doc = os.getenv('GLS_DOC')
local out = os.getenv('GLS_OUT')
local result = { ok = false }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.opt.rtp:prepend(repo .. '/editors/neovim')
  vim.cmd('filetype on')
  require('glossary_ls').setup({ cmd = { binary, '--stdio' } })
  vim.cmd('edit ' .. doc)
  result.filetype = vim.bo.filetype
  local attached = vim.wait(10000, function()
    return #vim.lsp.buf_get_clients(0) > 0
  end, 20)
  result.attached = attached
  local got = vim.wait(10000, function()
    return #vim.diagnostic.get(0) > 0
  end, 20)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, message = d.message,
                                       code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
  end
  -- Hover on "NRR" (line 1, col 4, 0-based).
  local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = 0, character = 5 },
  }, 5000)
  for _, r in pairs(hover or {}) do
    if r.result then
      result.hover = r.result.contents.value
    end
  end
  -- Completion after "net rev" at the end of line 3.
  local line = vim.api.nvim_buf_get_lines(0, 2, 3, false)[1]
  local comp = vim.lsp.buf_request_sync(0, 'textDocument/completion', {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = 2, character = #line },
  }, 5000)
  for _, r in pairs(comp or {}) do
    if r.result then
      local items = r.result.items or r.result
      if items[1] then
        result.completion = items[1].textEdit and items[1].textEdit.newText or items[1].label
      end
    end
  end
  -- The quick fix for the avoided term on line 2, applied to the buffer.
  local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(0, 1)
  local actions = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(),
    range = { start = { line = 1, character = 0 }, ['end'] = { line = 1, character = 0 } },
    context = { diagnostics = lsp_diags },
  }, 5000)
  for _, r in pairs(actions or {}) do
    for _, a in ipairs(r.result or {}) do
      if a.isPreferred and not result.action then
        result.action = a.title
        vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
      end
    end
  end
  result.line2 = vim.api.nvim_buf_get_lines(0, 1, 2, false)[1]
  result.ok = got
end)
if not ok then
  result.error = tostring(err)
end
finish()
