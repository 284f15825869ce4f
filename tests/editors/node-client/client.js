#!/usr/bin/env node
// client.js: one full LSP session against the glossary-ls binary, spoken
// with the libraries VS Code's language client is built on
// (vscode-jsonrpc and vscode-languageserver-protocol, pinned by the
// lockfile). Every response is checked against the LSP 3.17 types: the
// protocol package's `.is()` guards where it ships one, our own checks
// where it does not.
//
// Environment: GLS_BINARY (the server, required), GLS_WRAPPER (optional
// command prefix such as "valgrind --quiet ..."), GLS_TIMEOUT_SCALE
// (multiplies every wait; the sanitizer and valgrind runs set it).
//
// Prints one JSON line with the results; exits 1 on the first failure
// with a message naming the response and the field.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

const rpc = require('vscode-languageserver-protocol/node');
const P = require('vscode-languageserver-protocol');

const SCALE = Number(process.env.GLS_TIMEOUT_SCALE || '1') || 1;
const WAIT_MS = 10000 * SCALE;

class Failure extends Error {}

function fail(where, message) {
  throw new Failure(`${where}: ${message}`);
}

// ---------------------------------------------------------------------------
// Shape checks. Each takes the value and a dotted name for messages.

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function expect(cond, where, message) {
  if (!cond) fail(where, message);
}

function checkGuard(guard, name, value, where) {
  expect(guard(value), where, `not a ${name}: ${JSON.stringify(value)}`);
}

function optional(value, check, where) {
  if (value !== undefined) check(value, where);
}

function checkString(v, where) {
  expect(typeof v === 'string', where, `expected a string, got ${JSON.stringify(v)}`);
}

function checkBool(v, where) {
  expect(typeof v === 'boolean', where, `expected a boolean, got ${JSON.stringify(v)}`);
}

function checkEnum(v, enumObject, where) {
  const values = Object.values(enumObject).filter((x) => typeof x === 'number');
  expect(values.includes(v), where, `${JSON.stringify(v)} is not one of ${values.join(',')}`);
}

function checkRange(v, where) {
  checkGuard(P.Range.is, 'Range', v, where);
}

function checkMarkupOrString(v, where) {
  expect(typeof v === 'string' || P.MarkupContent.is(v), where,
    `expected a string or MarkupContent, got ${JSON.stringify(v)}`);
}

function checkTextEdit(v, where) {
  checkGuard(P.TextEdit.is, 'TextEdit', v, where);
}

function checkWorkspaceEdit(v, where) {
  checkGuard(P.WorkspaceEdit.is, 'WorkspaceEdit', v, where);
  if (v.changes !== undefined) {
    expect(isObject(v.changes), `${where}.changes`, 'expected an object of uri -> TextEdit[]');
    for (const [uri, edits] of Object.entries(v.changes)) {
      expect(Array.isArray(edits), `${where}.changes[${uri}]`, 'expected an array');
      edits.forEach((e, i) => checkTextEdit(e, `${where}.changes[${uri}][${i}]`));
    }
  }
  if (v.documentChanges !== undefined) {
    v.documentChanges.forEach((c, i) => {
      const w = `${where}.documentChanges[${i}]`;
      if (typeof c.kind === 'string') {
        expect(['create', 'rename', 'delete'].includes(c.kind), `${w}.kind`, `bad ${c.kind}`);
      } else {
        checkGuard(P.TextDocumentEdit.is, 'TextDocumentEdit', c, w);
      }
    });
  }
}

function checkDiagnostic(d, where) {
  checkGuard(P.Diagnostic.is, 'Diagnostic', d, where);
  checkEnum(d.severity, P.DiagnosticSeverity, `${where}.severity`);
  checkString(d.code, `${where}.code`);
  expect(d.source === 'glossary-ls', `${where}.source`, `expected glossary-ls, got ${d.source}`);
  expect(d.message.length > 0, `${where}.message`, 'empty');
  if (d.codeDescription !== undefined) {
    checkGuard(P.CodeDescription.is, 'CodeDescription', d.codeDescription,
      `${where}.codeDescription`);
    expect(/^[a-z][a-z0-9+.-]*:/.test(d.codeDescription.href), `${where}.codeDescription.href`,
      `not a URI: ${d.codeDescription.href}`);
  }
  if (d.tags !== undefined) {
    expect(Array.isArray(d.tags), `${where}.tags`, 'expected an array');
    d.tags.forEach((t, i) => checkEnum(t, P.DiagnosticTag, `${where}.tags[${i}]`));
  }
  optional(d.relatedInformation, (r, w) => r.forEach((x, i) =>
    checkGuard(P.DiagnosticRelatedInformation.is, 'DiagnosticRelatedInformation', x,
      `${w}[${i}]`)), `${where}.relatedInformation`);
}

function checkPublishDiagnostics(p, where) {
  expect(isObject(p), where, 'params must be an object');
  checkString(p.uri, `${where}.uri`);
  optional(p.version, (v, w) => checkGuard(P.integer.is, 'integer', v, w), `${where}.version`);
  expect(Array.isArray(p.diagnostics), `${where}.diagnostics`, 'expected an array');
  p.diagnostics.forEach((d, i) => checkDiagnostic(d, `${where}.diagnostics[${i}]`));
}

function checkHover(h, where) {
  checkGuard(P.Hover.is, 'Hover', h, where);
  checkGuard(P.MarkupContent.is, 'MarkupContent', h.contents, `${where}.contents`);
  expect([P.MarkupKind.Markdown, P.MarkupKind.PlainText].includes(h.contents.kind),
    `${where}.contents.kind`, `unknown kind ${h.contents.kind}`);
  optional(h.range, checkRange, `${where}.range`);
}

// The protocol package has no CompletionItem.is: the fields of 3.17.
function checkCompletionItem(c, where) {
  expect(isObject(c), where, 'expected an object');
  checkString(c.label, `${where}.label`);
  expect(c.label.length > 0, `${where}.label`, 'empty');
  optional(c.kind, (v, w) => checkEnum(v, P.CompletionItemKind, w), `${where}.kind`);
  optional(c.labelDetails, (v, w) => checkGuard(P.CompletionItemLabelDetails.is,
    'CompletionItemLabelDetails', v, w), `${where}.labelDetails`);
  optional(c.tags, (v, w) => v.forEach((t, i) => checkEnum(t, P.CompletionItemTag, `${w}[${i}]`)),
    `${where}.tags`);
  for (const k of ['detail', 'sortText', 'filterText', 'insertText']) {
    optional(c[k], checkString, `${where}.${k}`);
  }
  optional(c.documentation, checkMarkupOrString, `${where}.documentation`);
  optional(c.deprecated, checkBool, `${where}.deprecated`);
  optional(c.preselect, checkBool, `${where}.preselect`);
  optional(c.insertTextFormat, (v, w) => checkEnum(v, P.InsertTextFormat, w),
    `${where}.insertTextFormat`);
  optional(c.insertTextMode, (v, w) => checkEnum(v, P.InsertTextMode, w), `${where}.insertTextMode`);
  optional(c.textEdit, (v, w) => expect(P.TextEdit.is(v) || P.InsertReplaceEdit.is(v), w,
    `neither TextEdit nor InsertReplaceEdit: ${JSON.stringify(v)}`), `${where}.textEdit`);
  optional(c.textEditText, checkString, `${where}.textEditText`);
  optional(c.additionalTextEdits, (v, w) => v.forEach((e, i) => checkTextEdit(e, `${w}[${i}]`)),
    `${where}.additionalTextEdits`);
  optional(c.commitCharacters, (v, w) => v.forEach((s, i) => checkString(s, `${w}[${i}]`)),
    `${where}.commitCharacters`);
  optional(c.command, (v, w) => checkGuard(P.Command.is, 'Command', v, w), `${where}.command`);
}

// CompletionItem[] | CompletionList | null; returns the items.
function checkCompletionResult(r, where) {
  if (r === null) return [];
  if (Array.isArray(r)) {
    r.forEach((c, i) => checkCompletionItem(c, `${where}[${i}]`));
    return r;
  }
  expect(isObject(r), where, 'expected CompletionItem[], CompletionList or null');
  checkBool(r.isIncomplete, `${where}.isIncomplete`);
  expect(Array.isArray(r.items), `${where}.items`, 'expected an array');
  optional(r.itemDefaults, (v, w) => expect(isObject(v), w, 'expected an object'),
    `${where}.itemDefaults`);
  r.items.forEach((c, i) => checkCompletionItem(c, `${where}.items[${i}]`));
  return r.items;
}

function checkCodeActions(r, where) {
  expect(r === null || Array.isArray(r), where, 'expected (Command | CodeAction)[] or null');
  (r || []).forEach((a, i) => {
    const w = `${where}[${i}]`;
    if (P.Command.is(a) && a.edit === undefined && a.kind === undefined) return;
    checkGuard(P.CodeAction.is, 'CodeAction', a, w);
    optional(a.kind, checkString, `${w}.kind`);
    optional(a.edit, checkWorkspaceEdit, `${w}.edit`);
    optional(a.diagnostics, (v, ww) => v.forEach((d, j) => checkDiagnostic(d, `${ww}[${j}]`)),
      `${w}.diagnostics`);
  });
  return r || [];
}

// Location | Location[] | LocationLink[] | null; returns Locations.
function checkDefinition(r, where) {
  if (r === null) return [];
  const list = Array.isArray(r) ? r : [r];
  return list.map((l, i) => {
    const w = Array.isArray(r) ? `${where}[${i}]` : where;
    if (P.LocationLink.is(l)) return { uri: l.targetUri, range: l.targetSelectionRange };
    checkGuard(P.Location.is, 'Location', l, w);
    return l;
  });
}

function checkHighlights(r, where) {
  expect(r === null || Array.isArray(r), where, 'expected DocumentHighlight[] or null');
  (r || []).forEach((h, i) => {
    expect(isObject(h), `${where}[${i}]`, 'expected an object');
    checkRange(h.range, `${where}[${i}].range`);
    optional(h.kind, (v, w) => checkEnum(v, P.DocumentHighlightKind, w), `${where}[${i}].kind`);
  });
  return r || [];
}

function checkLocations(r, where) {
  expect(r === null || Array.isArray(r), where, 'expected Location[] or null');
  (r || []).forEach((l, i) => checkGuard(P.Location.is, 'Location', l, `${where}[${i}]`));
  return r || [];
}

// No SymbolInformation.is in the package: name, kind, location, optional
// containerName, deprecated, tags.
function checkSymbolInformation(s, where) {
  expect(isObject(s), where, 'expected an object');
  checkString(s.name, `${where}.name`);
  checkEnum(s.kind, P.SymbolKind, `${where}.kind`);
  // WorkspaceSymbol may give a location without a range: { uri }.
  expect(P.Location.is(s.location) || (isObject(s.location) && typeof s.location.uri === 'string'
    && s.location.range === undefined), `${where}.location`,
  `not a Location: ${JSON.stringify(s.location)}`);
  optional(s.containerName, checkString, `${where}.containerName`);
  optional(s.deprecated, checkBool, `${where}.deprecated`);
  optional(s.tags, (v, w) => v.forEach((t, i) => checkEnum(t, P.SymbolTag, `${w}[${i}]`)),
    `${where}.tags`);
}

function checkDocumentSymbols(r, where) {
  expect(r === null || Array.isArray(r), where, 'expected DocumentSymbol[] | SymbolInformation[]');
  const walk = (s, w) => {
    checkGuard(P.DocumentSymbol.is, 'DocumentSymbol', s, w);
    checkEnum(s.kind, P.SymbolKind, `${w}.kind`);
    expect(s.range.start.line <= s.selectionRange.start.line &&
      s.selectionRange.end.line <= s.range.end.line, `${w}.selectionRange`,
    'not inside range');
    (s.children || []).forEach((c, i) => walk(c, `${w}.children[${i}]`));
  };
  (r || []).forEach((s, i) => {
    if (s.location !== undefined) checkSymbolInformation(s, `${where}[${i}]`);
    else walk(s, `${where}[${i}]`);
  });
  return r || [];
}

function checkInitializeResult(r, where) {
  expect(isObject(r), where, 'expected an object');
  const c = r.capabilities;
  expect(isObject(c), `${where}.capabilities`, 'expected an object');
  optional(c.positionEncoding, (v, w) => expect(['utf-8', 'utf-16', 'utf-32'].includes(v), w,
    `unknown encoding ${v}`), `${where}.capabilities.positionEncoding`);
  const sync = c.textDocumentSync;
  if (typeof sync === 'number') {
    checkEnum(sync, P.TextDocumentSyncKind, `${where}.capabilities.textDocumentSync`);
  } else {
    expect(isObject(sync), `${where}.capabilities.textDocumentSync`, 'expected a kind or object');
    optional(sync.openClose, checkBool, `${where}.capabilities.textDocumentSync.openClose`);
    checkEnum(sync.change, P.TextDocumentSyncKind, `${where}.capabilities.textDocumentSync.change`);
    optional(sync.save, (v, w) => expect(typeof v === 'boolean' || isObject(v), w,
      'expected boolean or SaveOptions'), `${where}.capabilities.textDocumentSync.save`);
  }
  for (const k of ['hoverProvider', 'definitionProvider', 'referencesProvider',
    'documentHighlightProvider', 'documentSymbolProvider', 'workspaceSymbolProvider',
    'codeActionProvider', 'inlayHintProvider']) {
    const v = c[k];
    expect(v === true || isObject(v), `${where}.capabilities.${k}`,
      `expected true or options, got ${JSON.stringify(v)}`);
  }
  const cp = c.completionProvider;
  expect(isObject(cp), `${where}.capabilities.completionProvider`, 'expected CompletionOptions');
  optional(cp.resolveProvider, checkBool, `${where}.capabilities.completionProvider.resolveProvider`);
  optional(cp.triggerCharacters, (v, w) => {
    expect(Array.isArray(v), w, 'expected an array');
    v.forEach((s, i) => checkString(s, `${w}[${i}]`));
  }, `${where}.capabilities.completionProvider.triggerCharacters`);
  if (isObject(c.codeActionProvider) && c.codeActionProvider.codeActionKinds !== undefined) {
    c.codeActionProvider.codeActionKinds.forEach((k, i) =>
      checkString(k, `${where}.capabilities.codeActionProvider.codeActionKinds[${i}]`));
  }
  optional(c.diagnosticProvider, (v, w) => {
    expect(isObject(v), w, 'expected DiagnosticOptions');
    checkBool(v.interFileDependencies, `${w}.interFileDependencies`);
    checkBool(v.workspaceDiagnostics, `${w}.workspaceDiagnostics`);
  }, `${where}.capabilities.diagnosticProvider`);
  optional(r.serverInfo, (v, w) => {
    checkString(v.name, `${w}.name`);
    optional(v.version, checkString, `${w}.version`);
  }, `${where}.serverInfo`);
}

// ---------------------------------------------------------------------------
// Text helpers.

// (line, UTF-16 character) of the nth occurrence of needle.
function positionOf(text, needle, nth = 0) {
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`'${needle}' not in the test document`);
  }
  const before = text.slice(0, idx);
  const line = before.split('\n').length - 1;
  return { line, character: idx - (before.lastIndexOf('\n') + 1) };
}

function offsetAt(text, pos) {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < pos.line; i++) off += lines[i].length + 1;
  return off + Math.min(pos.character, lines[pos.line].length);
}

function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) -
    offsetAt(text, a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offsetAt(text, e.range.start)) + e.newText +
      text.slice(offsetAt(text, e.range.end));
  }
  return text;
}

function contains(range, pos) {
  const after = (a, b) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(pos, range.start) && after(range.end, pos);
}

// ---------------------------------------------------------------------------
// The session.

function withTimeout(promise, what, ms = WAIT_MS) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

function makeWorkspace() {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gls-node-client-')));
  const write = (rel, text) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  write('.glossary-ls.json', JSON.stringify({ glossaries: ['team.json'] }));
  const glossary = write('team.json', JSON.stringify({
    concepts: [
      { id: 'orbit', term: 'Orbit Score', abbreviations: ['OBS'],
        definition: 'A made-up health metric for this test.' },
      { id: 'zeta', term: 'Zeta Review', definition: 'Another made-up concept.' },
    ],
  }, null, 2) + '\n');
  // A document on disk, never opened: the workspace index finds it.
  const other = write('docs/other.md', 'Last quarter our NRR was flat.\n');
  fs.mkdirSync(path.join(root, 'xdg'));
  return { root, glossary, other };
}

// Starts one server and its connection. The returned session answers the
// server's requests (configuration with 'settings', progress tokens,
// registrations) and records what the server sends.
function startSession(ws, settings, results, options = {}) {
  const binary = process.env.GLS_BINARY;
  if (!binary) throw new Failure('environment: GLS_BINARY is not set');

  const wrapper = (process.env.GLS_WRAPPER || '').split(/\s+/).filter(Boolean);
  const argv = [...wrapper, binary, '--stdio'];
  const child = childProcess.spawn(argv[0], argv.slice(1), {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(ws.root, 'xdg') },
  });
  let stderr = '';
  child.stderr.on('data', (b) => { stderr += b.toString(); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) =>
    resolve({ code, signal })));
  child.on('error', (e) => { stderr += `spawn error: ${e.message}\n`; });

  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin));
  let closed = false;
  conn.onClose(() => { closed = true; });

  // Messages from the server.
  const published = [];
  const waiters = [];
  const progress = [];
  const pulls = [];
  let createdTokens = 0;
  const wake = () => waiters.slice().forEach((w) => w());
  // A check failing inside a handler is kept and ends the session at the
  // next wait (the connection would otherwise only log it).
  let handlerError = null;
  const guard = (fn) => (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (!handlerError) handlerError = e;
      wake();
      throw e;
    }
  };
  const onProgress = guard((token, value) => {
    expect(['begin', 'report', 'end'].includes(value && value.kind), '$/progress.value.kind',
      `unknown ${JSON.stringify(value)}`);
    if (value.kind === 'report' && value.percentage !== undefined) {
      expect(Number.isInteger(value.percentage) && value.percentage >= 0 &&
        value.percentage <= 100, '$/progress.value.percentage', `${value.percentage}`);
    }
    progress.push(value);
    wake();
  });
  conn.onNotification(P.PublishDiagnosticsNotification.type, guard((p) => {
    checkPublishDiagnostics(p, 'textDocument/publishDiagnostics');
    published.push(p);
    wake();
  }));
  conn.onNotification(P.LogMessageNotification.type, guard((p) => {
    checkString(p.message, 'window/logMessage.message');
    checkEnum(p.type, P.MessageType, 'window/logMessage.type');
  }));
  conn.onNotification(P.ShowMessageNotification.type, guard((p) => {
    checkString(p.message, 'window/showMessage.message');
    checkEnum(p.type, P.MessageType, 'window/showMessage.type');
    stderr += `showMessage: ${p.message}\n`;
  }));
  conn.onUnhandledProgress(guard((p) => fail('$/progress', `unknown token ${p.token}`)));
  conn.onRequest(P.ConfigurationRequest.type, guard((params) => {
    expect(Array.isArray(params.items), 'workspace/configuration.items', 'expected an array');
    pulls.push(params.items.map((i) => i.section));
    wake();
    return params.items.map((i) => (i.section === 'glossaryLs' ? settings : null));
  }));
  conn.onRequest(P.WorkDoneProgressCreateRequest.type, guard((params) => {
    expect(P.ProgressToken.is(params.token), 'window/workDoneProgress/create.token',
      'not a ProgressToken');
    createdTokens++;
    conn.onProgress(P.WorkDoneProgress.type, params.token,
      (value) => onProgress(params.token, value));
    // A client may answer late, after a small workspace is already indexed.
    if (options.createDelayMs) {
      return new Promise((resolve) => setTimeout(() => resolve(null), options.createDelayMs));
    }
    return null;
  }));
  conn.onRequest(P.RegistrationRequest.type, guard((params) => {
    expect(Array.isArray(params.registrations), 'client/registerCapability.registrations',
      'expected an array');
    return null;
  }));
  conn.onRequest(P.DiagnosticRefreshRequest.type, () => null);
  conn.onUnhandledNotification((m) => { stderr += `unhandled notification ${m.method}\n`; });
  conn.listen();

  const waitFor = (what, pred) => withTimeout(new Promise((resolve, reject) => {
    const check = () => {
      if (handlerError) {
        waiters.splice(waiters.indexOf(check), 1);
        reject(handlerError);
        return;
      }
      const hit = pred();
      if (hit) {
        waiters.splice(waiters.indexOf(check), 1);
        resolve(hit);
      }
    };
    waiters.push(check);
    check();
  }), what);
  const request = async (type, params, what) => {
    const r = await withTimeout(conn.sendRequest(type, params), what || type.method);
    if (handlerError) throw handlerError;
    results.responses++;
    return r;
  };

  const session = {
    child, conn, exited, waitFor, request, published, pulls, progress,
    get createdTokens() { return createdTokens; },
    get stderr() { return stderr; },
    get closed() { return closed; },
    get handlerError() { return handlerError; },
  };
  sessions.push(session);
  return session;
}

// The push session: everything an editor does in one sitting, with
// diagnostics pushed by the server.
async function pushSession(ws, results) {
  const settings = { debounceMs: 30, rules: { 'undefined-acronym': 'warning' } };
  const s = startSession(ws, settings, results);
  const { conn, exited, waitFor, request, published, pulls, progress } = s;
  // initialize: roughly what vscode-languageclient 9 announces.
  const init = await request(P.InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: 'glossary-ls node-client test', version: '1' },
    rootUri: pathToFileURL(ws.root).href,
    workspaceFolders: [{ uri: pathToFileURL(ws.root).href, name: 'ws' }],
    initializationOptions: settings,
    capabilities: {
      general: { positionEncodings: ['utf-16'] },
      window: { workDoneProgress: true },
      workspace: {
        configuration: true, workspaceFolders: true, applyEdit: true, symbol: {},
        workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        didChangeConfiguration: { dynamicRegistration: true },
      },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { insertReplaceSupport: true, snippetSupport: false,
          documentationFormat: ['markdown', 'plaintext'],
          resolveSupport: { properties: ['documentation', 'detail'] } } },
        codeAction: { codeActionLiteralSupport: { codeActionKind: {
          valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true,
          codeDescriptionSupport: true, dataSupport: true },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        definition: { linkSupport: false },
      },
    },
  });
  checkInitializeResult(init, 'initialize');
  expect(init.capabilities.positionEncoding === undefined ||
    init.capabilities.positionEncoding === 'utf-16', 'initialize.capabilities.positionEncoding',
  'the client offered utf-16 only');
  expect(init.capabilities.completionProvider.resolveProvider === true,
    'initialize.capabilities.completionProvider.resolveProvider', 'expected true');
  results.serverInfo = init.serverInfo;
  await conn.sendNotification(P.InitializedNotification.type, {});

  // The server pulls the glossaryLs section after initialized.
  await waitFor('workspace/configuration after initialized', () => pulls.length > 0);
  expect(pulls[0].includes('glossaryLs'), 'workspace/configuration.items',
    `section glossaryLs not asked for: ${JSON.stringify(pulls[0])}`);

  // The workspace index reports progress to its end.
  await waitFor('$/progress end of indexing', () => progress.some((v) => v.kind === 'end'));
  expect(s.createdTokens > 0, 'window/workDoneProgress/create', 'never asked for a token');
  expect(progress[0].kind === 'begin', '$/progress[0].kind', 'first report is not begin');

  const uri = pathToFileURL(path.join(ws.root, 'notes.md')).href;
  let text = '# Renewal notes\n\n' +
    'Our NRR grew this quarter.\n' +
    'The NPS score rose again, and OBS is up.\n' +
    'The ZQX metric is new.\n' +
    'We track net rev';
  let version = 1;
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'markdown', version, text },
  });
  const first = await waitFor('textDocument/publishDiagnostics for version 1',
    () => published.find((p) => p.uri === uri && p.version === 1));
  const codes = first.diagnostics.map((d) => d.code);
  for (const want of ['avoid-term', 'undefined-acronym']) {
    expect(codes.includes(want), 'textDocument/publishDiagnostics.diagnostics',
      `no ${want} finding in ${JSON.stringify(codes)}`);
  }
  const undefinedAcronym = first.diagnostics.find((d) => d.code === 'undefined-acronym');
  expect(undefinedAcronym.severity === P.DiagnosticSeverity.Warning,
    'textDocument/publishDiagnostics.diagnostics[undefined-acronym].severity',
    'the rule setting (warning) was not applied');
  expect(text.slice(offsetAt(text, undefinedAcronym.range.start),
    offsetAt(text, undefinedAcronym.range.end)) === 'ZQX',
  'textDocument/publishDiagnostics.diagnostics[undefined-acronym].range', 'not on ZQX');
  results.diagnostics = codes;

  // Hover on NRR.
  const nrr = positionOf(text, 'NRR');
  const hover = await request(P.HoverRequest.type, {
    textDocument: { uri }, position: { line: nrr.line, character: nrr.character + 1 },
  });
  expect(hover !== null, 'textDocument/hover', 'null on NRR');
  checkHover(hover, 'textDocument/hover');
  expect(hover.contents.kind === 'markdown', 'textDocument/hover.contents.kind',
    'markdown was offered first');
  expect(hover.contents.value.includes('Net Revenue Retention'),
    'textDocument/hover.contents.value', 'does not name Net Revenue Retention');
  expect(hover.range && contains(hover.range, nrr), 'textDocument/hover.range',
    'does not cover NRR');
  results.hover = hover.contents.value.split('\n')[0];

  // Completion after "net rev", then resolve.
  const end = positionOf(text, 'net rev');
  end.character += 'net rev'.length;
  const completion = await request(P.CompletionRequest.type, {
    textDocument: { uri }, position: end, context: { triggerKind: 1 },
  });
  const items = checkCompletionResult(completion, 'textDocument/completion');
  const nrrItem = items.find((c) => c.label === 'Net Revenue Retention');
  expect(nrrItem, 'textDocument/completion.items',
    `no Net Revenue Retention in ${JSON.stringify(items.map((c) => c.label).slice(0, 10))}`);
  if (nrrItem.textEdit) {
    const te = nrrItem.textEdit;
    const range = te.range || te.replace;
    expect(range.end.line === end.line && range.end.character === end.character,
      'textDocument/completion.items[Net Revenue Retention].textEdit.range.end',
      'does not end at the cursor');
    const replaced = text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
    expect(replaced === 'net rev',
      'textDocument/completion.items[Net Revenue Retention].textEdit.range',
      `replaces '${replaced}', not the prefix`);
  }
  const resolved = await request(P.CompletionResolveRequest.type, nrrItem);
  checkCompletionItem(resolved, 'completionItem/resolve');
  expect(resolved.label === nrrItem.label, 'completionItem/resolve.label', 'changed');
  expect(resolved.documentation !== undefined, 'completionItem/resolve.documentation',
    'missing after resolve');
  results.completion = { label: nrrItem.label, items: items.length };

  // Code actions on the avoided term: apply the preferred fix as a didChange.
  const avoid = first.diagnostics.find((d) => d.code === 'avoid-term');
  const actions = checkCodeActions(await request(P.CodeActionRequest.type, {
    textDocument: { uri }, range: avoid.range,
    context: { diagnostics: [avoid], triggerKind: 1 },
  }), 'textDocument/codeAction');
  const fix = actions.find((a) => a.isPreferred && a.kind === 'quickfix');
  expect(fix, 'textDocument/codeAction', `no preferred quickfix in ${JSON.stringify(actions)}`);
  expect(fix.edit && fix.edit.changes && fix.edit.changes[uri],
    'textDocument/codeAction[preferred].edit.changes', `no edits for ${uri}`);
  const fixed = applyEdits(text, fix.edit.changes[uri]);
  expect(!fixed.includes('NPS score') && fixed.includes('NPS rose'),
    'textDocument/codeAction[preferred].edit', `unexpected result: ${fixed.split('\n')[3]}`);
  results.codeAction = fix.title;

  // The undefined acronym's fixes create the project glossary through the
  // editor (documentChanges with a create operation).
  const acronymActions = checkCodeActions(await request(P.CodeActionRequest.type, {
    textDocument: { uri }, range: undefinedAcronym.range,
    context: { diagnostics: [undefinedAcronym] },
  }), 'textDocument/codeAction (undefined-acronym)');
  const create = acronymActions.find((a) => a.edit && a.edit.documentChanges);
  expect(create, 'textDocument/codeAction (undefined-acronym)',
    'no action with documentChanges although the client can create files');
  expect(create.edit.documentChanges.some((c) => c.kind === 'create'),
    'textDocument/codeAction (undefined-acronym).edit.documentChanges', 'no create operation');

  // Apply the fix the way VS Code does: one incremental change per edit,
  // last edit first.
  version++;
  const edits = [...fix.edit.changes[uri]].sort((a, b) => offsetAt(text, b.range.start) -
    offsetAt(text, a.range.start));
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
  });
  text = fixed;
  const second = await waitFor('textDocument/publishDiagnostics for version 2',
    () => published.find((p) => p.uri === uri && p.version === 2));
  expect(!second.diagnostics.some((d) => d.code === 'avoid-term'),
    'textDocument/publishDiagnostics (version 2).diagnostics', 'the avoid-term finding stayed');
  const state = await request(new rpc.RequestType('glossaryLs/documentState'),
    { textDocument: { uri } });
  expect(state && state.text === text, 'glossaryLs/documentState.text',
    'the server\'s copy differs from ours after the change');

  // Definition: NRR goes to the built-in source, OBS to team.json.
  const defNrr = checkDefinition(await request(P.DefinitionRequest.type, {
    textDocument: { uri }, position: positionOf(text, 'NRR'),
  }), 'textDocument/definition (NRR)');
  expect(defNrr.length === 1 && defNrr[0].uri.endsWith('cs-glossary.json'),
    'textDocument/definition (NRR).uri', JSON.stringify(defNrr));
  const defObs = checkDefinition(await request(P.DefinitionRequest.type, {
    textDocument: { uri }, position: positionOf(text, 'OBS'),
  }), 'textDocument/definition (OBS)');
  expect(defObs.length === 1 && defObs[0].uri === pathToFileURL(ws.glossary).href,
    'textDocument/definition (OBS).uri', JSON.stringify(defObs));

  // Document highlight of NRR.
  const hl = checkHighlights(await request(P.DocumentHighlightRequest.type, {
    textDocument: { uri }, position: positionOf(text, 'NRR'),
  }), 'textDocument/documentHighlight');
  expect(hl.length === 1 && contains(hl[0].range, positionOf(text, 'NRR')),
    'textDocument/documentHighlight[0].range', JSON.stringify(hl));

  // References: the declaration, the open document, the indexed file.
  const refs = checkLocations(await request(P.ReferencesRequest.type, {
    textDocument: { uri }, position: positionOf(text, 'NRR'),
    context: { includeDeclaration: true },
  }), 'textDocument/references');
  const refUris = refs.map((l) => l.uri);
  expect(refUris[0] && refUris[0].endsWith('cs-glossary.json'), 'textDocument/references[0].uri',
    `declaration not first: ${JSON.stringify(refUris)}`);
  for (const want of [uri, pathToFileURL(ws.other).href]) {
    expect(refUris.includes(want), 'textDocument/references', `${want} missing`);
  }

  // Document symbols of the glossary file.
  const syms = checkDocumentSymbols(await request(P.DocumentSymbolRequest.type, {
    textDocument: { uri: pathToFileURL(ws.glossary).href },
  }), 'textDocument/documentSymbol');
  const names = syms.map((s) => s.name);
  expect(JSON.stringify(names) === JSON.stringify(['Orbit Score', 'Zeta Review']),
    'textDocument/documentSymbol[].name', JSON.stringify(names));

  // Workspace symbols.
  const wsyms = await request(P.WorkspaceSymbolRequest.type, { query: 'orbit' });
  expect(Array.isArray(wsyms), 'workspace/symbol', 'expected an array');
  wsyms.forEach((s, i) => checkSymbolInformation(s, `workspace/symbol[${i}]`));
  expect(wsyms.length > 0 && wsyms[0].name === 'Orbit Score', 'workspace/symbol[0].name',
    JSON.stringify(wsyms.map((s) => s.name)));
  const wsNet = await request(P.WorkspaceSymbolRequest.type, { query: 'net revenue' });
  wsNet.forEach((s, i) => checkSymbolInformation(s, `workspace/symbol (net revenue)[${i}]`));
  expect(wsNet.some((s) => s.name === 'Net Revenue Retention'),
    'workspace/symbol (net revenue)', 'Net Revenue Retention missing');
  results.symbols = { document: names.length, workspace: wsNet.length };

  // A typed edit (a new sentence with an undefined acronym) is seen.
  version++;
  const tail = positionOf(text, 'net rev');
  tail.character += 'net rev'.length;
  await conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: tail, end: tail }, text: '.\nThe QQB team met.' }],
  });
  const third = await waitFor('textDocument/publishDiagnostics for version 3',
    () => published.find((p) => p.uri === uri && p.version === 3));
  expect(third.diagnostics.some((d) => d.code === 'undefined-acronym' &&
    d.range.start.line === tail.line + 1), 'textDocument/publishDiagnostics (version 3)',
  'no undefined-acronym finding for QQB on the new line');

  // shutdown, exit: the server must exit 0.
  const down = await request(P.ShutdownRequest.type, undefined);
  expect(down === null || down === undefined, 'shutdown', `expected null, got ${down}`);
  await conn.sendNotification(P.ExitNotification.type);
  const { code, signal } = await withTimeout(exited, 'exit of the server process');
  expect(code === 0, 'exit', `the server exited with ${code} (signal ${signal})`);
  if (s.handlerError) throw s.handlerError;
  results.exitCode = code;
}

// Checks a full or unchanged document diagnostic report; returns it.
function checkDocumentReport(r, where) {
  expect(isObject(r), where, 'expected a DocumentDiagnosticReport');
  const kinds = Object.values(P.DocumentDiagnosticReportKind);
  expect(kinds.includes(r.kind), `${where}.kind`, `not one of ${kinds}: ${r.kind}`);
  if (r.kind === P.DocumentDiagnosticReportKind.Full) {
    optional(r.resultId, checkString, `${where}.resultId`);
    expect(Array.isArray(r.items), `${where}.items`, 'expected an array');
    r.items.forEach((d, i) => checkDiagnostic(d, `${where}.items[${i}]`));
  } else {
    checkString(r.resultId, `${where}.resultId`);
  }
  optional(r.relatedDocuments, (v, w) => expect(isObject(v), w, 'expected an object'),
    `${where}.relatedDocuments`);
  return r;
}

// The pull session: what VS Code itself does, since its client announces
// pulled diagnostics (textDocument/diagnostic, workspace/diagnostic).
async function pullSession(ws, results) {
  // It also answers window/workDoneProgress/create late: the index of this
  // small workspace is finished by then, and the late answer must be safe.
  const s = startSession(ws, { debounceMs: 30 }, results, { createDelayMs: 500 * SCALE });
  const { conn, exited, request, published, progress } = s;
  const init = await request(P.InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(ws.root).href,
    workspaceFolders: [{ uri: pathToFileURL(ws.root).href, name: 'ws' }],
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { configuration: true, diagnostics: { refreshSupport: true } },
      textDocument: {
        diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
        publishDiagnostics: { versionSupport: true },
      },
    },
  }, 'initialize (pull)');
  checkInitializeResult(init, 'initialize (pull)');
  const dp = init.capabilities.diagnosticProvider;
  expect(isObject(dp), 'initialize (pull).capabilities.diagnosticProvider',
    'missing although the client pulls');
  optional(dp.identifier, checkString, 'initialize (pull).capabilities.diagnosticProvider.identifier');
  await conn.sendNotification(P.InitializedNotification.type, {});

  const uri = pathToFileURL(path.join(ws.root, 'pulled.md')).href;
  const text = 'Our GRR of 112% worried the CSM.\nThe NPS score rose.\n';
  await conn.sendNotification(P.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'markdown', version: 1, text },
  });
  const first = checkDocumentReport(await request(P.DocumentDiagnosticRequest.type, {
    textDocument: { uri },
  }), 'textDocument/diagnostic');
  expect(first.kind === 'full', 'textDocument/diagnostic.kind', 'the first report must be full');
  const codes = first.items.map((d) => d.code);
  for (const want of ['metric-misuse', 'avoid-term']) {
    expect(codes.includes(want), 'textDocument/diagnostic.items', `no ${want} in ${codes}`);
  }
  if (first.resultId !== undefined) {
    // Asked again with the previous result: unchanged, or full again.
    checkDocumentReport(await request(P.DocumentDiagnosticRequest.type, {
      textDocument: { uri }, previousResultId: first.resultId,
    }), 'textDocument/diagnostic (again)');
  }
  const wsReport = await request(P.WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  expect(isObject(wsReport) && Array.isArray(wsReport.items), 'workspace/diagnostic.items',
    'expected a WorkspaceDiagnosticReport');
  wsReport.items.forEach((item, i) => {
    const w = `workspace/diagnostic.items[${i}]`;
    checkDocumentReport(item, w);
    checkString(item.uri, `${w}.uri`);
    expect(item.version === null || P.integer.is(item.version), `${w}.version`,
      `expected an integer or null, got ${item.version}`);
  });
  expect(wsReport.items.some((item) => item.uri === uri), 'workspace/diagnostic.items',
    `no report for ${uri}`);
  expect(!published.some((p) => p.uri === uri), 'textDocument/publishDiagnostics',
    'pushed although the client pulls');

  // Past the late answer to window/workDoneProgress/create, the token still
  // gets its begin and its end: no progress is left open in the editor.
  await s.waitFor('window/workDoneProgress/create (pull)', () => s.createdTokens > 0);
  await s.waitFor('$/progress end after a late create answer (pull)',
    () => progress.some((v) => v.kind === 'end'));
  expect(progress[0].kind === 'begin', '$/progress (pull)[0].kind', `${progress[0].kind}`);
  const st = await request(new rpc.RequestType('glossaryLs/status'), undefined,
    'glossaryLs/status (pull)');
  expect(st && st.state === 'running', 'glossaryLs/status (pull).state', `${st && st.state}`);

  const down = await request(P.ShutdownRequest.type, undefined, 'shutdown (pull)');
  expect(down === null || down === undefined, 'shutdown (pull)', `expected null, got ${down}`);
  await conn.sendNotification(P.ExitNotification.type);
  const { code, signal } = await withTimeout(exited, 'exit of the server process (pull)');
  expect(code === 0, 'exit (pull)', `the server exited with ${code} (signal ${signal})`);
  if (s.handlerError) throw s.handlerError;
  results.pull = { items: first.items.length, workspaceReports: wsReport.items.length,
    exitCode: code };
}

const sessions = [];

async function main() {
  const ws = makeWorkspace();
  const results = { ok: false, responses: 0 };
  try {
    await pushSession(ws, results);
    await pullSession(ws, results);
    results.ok = true;
  } catch (e) {
    const s = sessions[sessions.length - 1];
    for (const x of sessions) if (x.child.exitCode === null) x.child.kill('SIGKILL');
    const tailErr = s ? s.stderr.split('\n').slice(-40).join('\n') : '';
    results.error = e.message;
    process.stdout.write(JSON.stringify(results) + '\n');
    process.stderr.write(`node-client: FAILED: ${e instanceof Failure ? '' : 'error: '}` +
      `${e.message}${s && s.closed ? ' (connection closed)' : ''}\n` +
      `server stderr (tail):\n${tailErr}\n`);
    if (!(e instanceof Failure)) process.stderr.write(`${e.stack}\n`);
    sessions.forEach((x) => x.conn.dispose());
    fs.rmSync(ws.root, { recursive: true, force: true });
    process.exit(1);
  }
  sessions.forEach((x) => x.conn.dispose());
  fs.rmSync(ws.root, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((e) => {
  process.stderr.write(`node-client: FAILED: ${e.message}\n`);
  process.exit(1);
});
