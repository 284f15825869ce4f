-- glossary_ls: start glossary-ls for Markdown and plain-text buffers.
-- On Neovim 0.7 to 0.10 setup() starts clients itself (vim.lsp.start_client);
-- on 0.11+ it hands the same options to vim.lsp.config and vim.lsp.enable
-- (which also read lsp/glossary_ls.lua from this plugin).
local M = {}

local defaults = {
  cmd = { 'glossary-ls', '--stdio' },
  filetypes = { 'markdown', 'text' },
  root_markers = { '.glossary-ls.json', '.git' },
  settings = { glossaryLs = {} },
}

local function find_root(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  for _, marker in ipairs(markers) do
    local file = vim.fn.findfile(marker, dir .. ';')
    if file ~= '' then
      return vim.fn.fnamemodify(file, ':p:h')
    end
    local found = vim.fn.finddir(marker, dir .. ';')
    if found ~= '' then
      return vim.fn.fnamemodify(found, ':p:h:h')
    end
  end
  return dir
end

local clients = {} -- root directory -> client id

function M.setup(opts)
  local config = vim.tbl_deep_extend('force', defaults, opts or {})
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('glossary_ls', {
      cmd = config.cmd,
      filetypes = config.filetypes,
      root_markers = config.root_markers,
      init_options = config.settings.glossaryLs,
      settings = config.settings,
      on_attach = config.on_attach,
      capabilities = config.capabilities,
    })
    vim.lsp.enable('glossary_ls')
    return
  end
  local group = vim.api.nvim_create_augroup('glossary_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      local root = find_root(args.buf, config.root_markers)
      local id = clients[root]
      if not id or not vim.lsp.get_client_by_id(id) then
        id = vim.lsp.start_client({
          name = 'glossary_ls',
          cmd = config.cmd,
          root_dir = root,
          workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
          init_options = config.settings.glossaryLs,
          settings = config.settings,
          on_attach = config.on_attach,
          capabilities = config.capabilities,
        })
        clients[root] = id
      end
      if id then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
end

return M
