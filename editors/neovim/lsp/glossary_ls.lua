-- Neovim 0.11+: vim.lsp.config('glossary_ls', {...}) and
-- vim.lsp.enable('glossary_ls') pick this file up from the runtimepath.
return {
  cmd = { 'glossary-ls', '--stdio' },
  filetypes = { 'markdown', 'text' },
  root_markers = { '.glossary-ls.json', '.git' },
  settings = { glossaryLs = {} },
}
