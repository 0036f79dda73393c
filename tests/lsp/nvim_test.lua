-- Driven by tests/lsp/nvim_test.py: a real Neovim (0.7 API) attaches `alembic-lint lsp` to a
-- fixture migration, waits for its diagnostics, edits the buffer (Neovim computes and sends
-- the incremental change itself) and waits for the diagnostics to follow, then writes what it
-- saw as JSON and quits. Parameters come from the environment.
local bin = os.getenv('ALINT_BIN')
local file = os.getenv('ALINT_FILE')
local root = os.getenv('ALINT_ROOT')
local out = os.getenv('ALINT_OUT')
local old_id = os.getenv('ALINT_OLD_ID')
local new_id = os.getenv('ALINT_NEW_ID')

local function snapshot(bufnr)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(items, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, message = d.message,
      code = d.code or lsp.code,
    })
  end
  return items
end

local function has_code(bufnr, code)
  for _, d in ipairs(snapshot(bufnr)) do
    if d.code == code then return true end
  end
  return false
end

local result = { errors = {} }
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'alembic-lint',
    cmd = { bin, 'lsp' },
    root_dir = root,
  })
  assert(client_id, 'start_client failed')
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'buf_attach_client failed')
  result.attached = vim.wait(10000, function() return #snapshot(bufnr) > 0 end, 50)
  result.initial = snapshot(bufnr)

  -- Give the duplicated id a fresh value: the duplicate must go away.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for i, line in ipairs(lines) do
    if line:match('^revision') then
      local s = line:find(old_id, 1, true)
      vim.api.nvim_buf_set_text(bufnr, i - 1, s - 1, i - 1, s - 1 + #old_id, { new_id })
      result.edited_line = i - 1
      break
    end
  end
  result.cleared = vim.wait(10000, function()
    return not has_code(bufnr, 'duplicate-revision')
  end, 50)
  result.after_edit = snapshot(bufnr)
  -- Neovim also clears a client's diagnostics when the server dies: the server must still be
  -- running and answer a request after the edit for the cleared duplicate to count.
  local client = vim.lsp.get_client_by_id(client_id)
  result.alive_after_edit = client ~= nil and not client.is_stopped()
  if result.alive_after_edit then
    local resp = client.request_sync('textDocument/hover', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      position = { line = result.edited_line or 0, character = 0 },
    }, 5000, bufnr)
    result.answered_after_edit = resp ~= nil and resp.err == nil
  end
  vim.lsp.stop_client(client_id)
end)
if not ok then table.insert(result.errors, tostring(err)) end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
