// fake-vscode.js: a stand-in for the `vscode` module, which exists only
// inside VS Code. It implements for real what extension.js and the
// language client's start-up actually use (configuration, documents,
// commands, output channels, the status bar, events, URIs), and answers
// everything else with inert objects, so that vscode-languageclient can
// run its real code against the real server outside the editor.
'use strict';

const Module = require('module');


// The glob forms document selectors use: **/, *, ?, {a,b}.
function globRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) { re += '(?:.*/)?'; i += 2; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + (glob.startsWith('**/') ? '' : '(?:.*/)?') + re + '$');
}
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');

// An inert value for any API the tests do not model: callable, usable
// as a base class, any property is another inert value, calling it gives
// something with dispose().
function inert(name) {
  const cache = new Map();
  const target = function inertApi() {};
  return new Proxy(target, {
    get(t, key) {
      if (key === 'then') return undefined; // not a promise
      if (key === 'prototype') return t.prototype;
      if (key === Symbol.toPrimitive) return () => `[fake ${name}]`;
      if (key === Symbol.iterator) return function* none() {};
      if (key === 'dispose') return () => {};
      if (typeof key === 'symbol') return undefined;
      if (!cache.has(key)) cache.set(key, inert(`${name}.${key}`));
      return cache.get(key);
    },
    apply() { return inert(`${name}()`); },
    construct() { return {}; },
  });
}

function withFallback(obj, name) {
  return new Proxy(obj, {
    get(t, key) {
      if (key in t || typeof key === 'symbol' || key === 'then') return t[key];
      t[key] = inert(`${name}.${key}`);
      return t[key];
    },
  });
}

class Disposable {
  constructor(fn) { this.fn = fn; }
  static from(...items) { return new Disposable(() => items.forEach((i) => i && i.dispose())); }
  dispose() { if (this.fn) this.fn(); this.fn = null; }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg) => {
      const l = thisArg ? listener.bind(thisArg) : listener;
      this.listeners.add(l);
      return new Disposable(() => this.listeners.delete(l));
    };
  }
  fire(e) { [...this.listeners].forEach((l) => l(e)); }
  dispose() { this.listeners.clear(); }
}

class Uri {
  constructor(href) {
    const u = new URL(href);
    this.scheme = u.protocol.replace(/:$/, '');
    this.href = href;
    this.path = u.pathname;
    this.fsPath = this.scheme === 'file' ? fileURLToPath(href) : u.pathname;
  }
  static parse(s) { return new Uri(s); }
  static file(p) { return new Uri(pathToFileURL(p).href); }
  toString() { return this.href; }
  toJSON() { return this.href; }
}

class Position {
  constructor(line, character) { this.line = line; this.character = character; }
}
class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); } else {
      this.start = a; this.end = b;
    }
  }
}

class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this.emitter = emitter;
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
  }
  cancel() {
    if (!this.token.isCancellationRequested) {
      this.token.isCancellationRequested = true;
      this.emitter.fire();
    }
  }
  dispose() { this.emitter.dispose(); }
}

class CancellationError extends Error {}

const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 };

class Diagnostic {
  constructor(range, message, severity = DiagnosticSeverity.Error) {
    this.range = range; this.message = message; this.severity = severity;
  }
}
class Location { constructor(uri, range) { this.uri = uri; this.range = range; } }
class DiagnosticRelatedInformation {
  constructor(location, message) { this.location = location; this.message = message; }
}
class TabInputText { constructor(uri) { this.uri = uri; } }

// A diagnostic collection that remembers what it was given, by URI.
function diagnosticCollection(name, store) {
  const byUri = new Map();
  store.push(byUri);
  return withFallback({
    name,
    set(uri, diags) {
      if (Array.isArray(uri)) uri.forEach(([u, d]) => byUri.set(u.toString(), d || []));
      else byUri.set(uri.toString(), diags || []);
    },
    get: (uri) => byUri.get(uri.toString()),
    has: (uri) => byUri.has(uri.toString()),
    delete: (uri) => byUri.delete(uri.toString()),
    clear: () => byUri.clear(),
    forEach: (fn) => byUri.forEach((d, u) => fn(Uri.parse(u), d)),
    dispose: () => byUri.clear(),
  }, `DiagnosticCollection(${name})`);
}

class ThemeColor { constructor(id) { this.id = id; } }

// A text document as the language client reads it.
function textDocument(uri, languageId, text, version = 1) {
  return {
    uri, languageId, version, isClosed: false, isDirty: false, isUntitled: uri.scheme === 'untitled',
    fileName: uri.fsPath, eol: 1, lineCount: text.split('\n').length,
    getText: () => text,
  };
}

// Creates a fresh fake and installs it as `vscode` for require().
function install() {
  const settings = { user: {}, workspace: {}, folder: {} };
  const defaults = {};
  const recorded = { errors: [], infos: [], output: [], statusTexts: [], commands: {},
    diagnostics: [] };
  const tabGroup = { tabs: [] };
  const tabsEmitter = new EventEmitter();
  const openEmitter = new EventEmitter();
  const closeEmitter = new EventEmitter();
  const changeEmitter = new EventEmitter();
  const configEmitter = new EventEmitter();
  const documents = [];
  let folders = [];

  const outputChannel = (name) => withFallback({
    name,
    append: (s) => recorded.output.push(s),
    appendLine: (s) => recorded.output.push(s + '\n'),
    replace: () => {}, clear: () => {}, show: () => { recorded.shown = name; }, hide: () => {},
    dispose: () => {},
  }, `OutputChannel(${name})`);

  function configuration(section) {
    const full = (k) => (section ? `${section}.${k}` : k);
    const lookup = (k) => {
      for (const level of [settings.folder, settings.workspace, settings.user]) {
        if (full(k) in level) return level[full(k)];
      }
      return defaults[full(k)];
    };
    return {
      get: (k, dflt) => { const v = lookup(k); return v === undefined ? dflt : v; },
      has: (k) => lookup(k) !== undefined,
      inspect: (k) => ({
        key: full(k), defaultValue: defaults[full(k)], globalValue: settings.user[full(k)],
        workspaceValue: settings.workspace[full(k)],
        workspaceFolderValue: settings.folder[full(k)],
      }),
      update: async () => {},
    };
  }

  const api = withFallback({
    version: '1.90.0',
    Disposable, EventEmitter, Uri, Position, Range, ThemeColor, CancellationTokenSource,
    CancellationError, Diagnostic, DiagnosticSeverity, DiagnosticTag, Location,
    DiagnosticRelatedInformation, TabInputText,
    StatusBarAlignment: { Left: 1, Right: 2 },
    env: withFallback({ appName: 'fake-vscode', language: 'en', machineId: 'fake' }, 'env'),
    window: withFallback({
      createOutputChannel: outputChannel,
      createStatusBarItem: () => {
        const item = {
          text: '', tooltip: '', show() { recorded.statusVisible = true; }, hide() {},
          dispose() {},
        };
        let text = '';
        Object.defineProperty(item, 'text', {
          get: () => text,
          set: (v) => { text = v; recorded.statusTexts.push(v); },
        });
        recorded.status = item;
        return item;
      },
      showErrorMessage: async (msg) => { recorded.errors.push(msg); return undefined; },
      showWarningMessage: async (msg) => { recorded.infos.push(msg); return undefined; },
      showInformationMessage: async (msg) => { recorded.infos.push(msg); return undefined; },
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: new EventEmitter().event,
      onDidChangeVisibleTextEditors: new EventEmitter().event,
      tabGroups: withFallback({ all: [tabGroup], onDidChangeTabs: tabsEmitter.event },
        'window.tabGroups'),
    }, 'window'),
    workspace: withFallback({
      get workspaceFolders() { return folders; },
      getWorkspaceFolder: (uri) => folders.find((f) => uri.fsPath.startsWith(f.uri.fsPath)),
      get textDocuments() { return documents; },
      notebookDocuments: [],
      getConfiguration: configuration,
      onDidOpenTextDocument: openEmitter.event,
      onDidCloseTextDocument: closeEmitter.event,
      onDidChangeTextDocument: changeEmitter.event,
      onDidChangeConfiguration: configEmitter.event,
      createFileSystemWatcher: () => withFallback({
        onDidCreate: new EventEmitter().event, onDidChange: new EventEmitter().event,
        onDidDelete: new EventEmitter().event, dispose() {},
      }, 'FileSystemWatcher'),
    }, 'workspace'),
    languages: withFallback({
      createDiagnosticCollection: (name) => diagnosticCollection(name, recorded.diagnostics),
      match(selector, doc) {
        const list = Array.isArray(selector) ? selector : [selector];
        return list.some((f) => (typeof f === 'string' ? f === doc.languageId
          : (!f.language || f.language === doc.languageId) &&
            (!f.scheme || f.scheme === doc.uri.scheme) &&
            (!f.pattern || globRegExp(f.pattern).test(doc.uri.fsPath)))) ? 10 : 0;
      },
    }, 'languages'),
    commands: withFallback({
      registerCommand(id, fn) {
        recorded.commands[id] = fn;
        return new Disposable(() => delete recorded.commands[id]);
      },
      executeCommand: async (id, ...args) => (recorded.commands[id]
        ? recorded.commands[id](...args) : undefined),
    }, 'commands'),
  }, 'vscode');

  const realResolve = Module._resolveFilename;
  Module._resolveFilename = function resolve(request, ...rest) {
    return request === 'vscode' ? 'vscode' : realResolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: api };

  return {
    api, settings, defaults, recorded,
    // The diagnostics VS Code would show for 'file', from any collection.
    diagnosticsFor(file) {
      const key = Uri.file(file).toString();
      return recorded.diagnostics.map((m) => m.get(key)).find((d) => d && d.length) || [];
    },
    setFolders(paths) { folders = paths.map((p, index) => ({ uri: Uri.file(p), name: path.basename(p), index })); },
    open(file, languageId, text) {
      const doc = textDocument(Uri.file(file), languageId, text);
      documents.push(doc);
      openEmitter.fire(doc);
      // Shown in an editor tab, as opening a file in VS Code does.
      const tab = { input: new TabInputText(doc.uri), label: path.basename(file) };
      tabGroup.tabs.push(tab);
      tabsEmitter.fire({ opened: [tab], closed: [], changed: [] });
      return doc;
    },
    changeConfiguration(keys) {
      configEmitter.fire({ affectsConfiguration: (s) => keys.some((k) => k === s ||
        k.startsWith(s + '.')) });
    },
  };
}

module.exports = { install };
