// extension.js: the VS Code side of glossary-ls. Starts the server over
// stdio with vscode-languageclient, answers its workspace/configuration
// pulls with the glossaryLs settings, and shows the server's state in the
// status bar.
'use strict';

const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, State, TransportKind } = require('vscode-languageclient/node');

const SECTION = 'glossaryLs';
// Settings that belong to the extension, not to the server.
const EXTENSION_ONLY = new Set(['path', 'trace.server']);
// Settings the server reads only when it starts.
const NEED_RESTART = ['path', 'semanticTokens', 'diagnostics'];

let client = null;
let output = null;
let status = null;
let stopping = false;

// The keys the server understands: every contributed glossaryLs.* setting
// except the extension's own.
function contributedServerKeys(packageJSON) {
  const props = packageJSON.contributes.configuration.properties;
  return Object.keys(props)
    .filter((k) => k.startsWith(SECTION + '.'))
    .map((k) => k.slice(SECTION.length + 1))
    .filter((k) => !EXTENSION_ONLY.has(k));
}

const serverKeys = contributedServerKeys(require('./package.json'));

function folderFor(scopeUri) {
  const folders = vscode.workspace.workspaceFolders || [];
  if (scopeUri) {
    const f = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(scopeUri));
    if (f) return f;
  }
  return folders[0];
}

function expandPath(p, folder) {
  let out = p;
  if (folder) out = out.split('${workspaceFolder}').join(folder.uri.fsPath);
  if (out === '~') out = os.homedir();
  else if (out.startsWith('~/')) out = path.join(os.homedir(), out.slice(2));
  if (!path.isAbsolute(out) && folder) out = path.join(folder.uri.fsPath, out);
  return out;
}

// Only what the user has set, at any level (user, workspace, folder). The
// defaults shown in the settings UI are the server's own, so leaving them
// out changes nothing, and it lets .glossary-ls.json and the user config
// file decide whatever the editor settings do not.
function explicitSettings(scopeUri) {
  const uri = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const cfg = vscode.workspace.getConfiguration(SECTION, uri);
  const folder = folderFor(scopeUri);
  const out = {};
  for (const key of serverKeys) {
    const info = cfg.inspect(key);
    if (!info) continue;
    const levels = [info.globalValue, info.workspaceValue, info.workspaceFolderValue]
      .filter((v) => v !== undefined);
    if (levels.length === 0) continue;
    if (key === 'rules') {
      // Objects merge level by level, as VS Code merges them.
      out.rules = Object.assign({}, ...levels.filter((v) => v && typeof v === 'object'));
    } else {
      out[key] = levels[levels.length - 1];
    }
  }
  if (Array.isArray(out.glossaries)) {
    out.glossaries = out.glossaries.filter((g) => typeof g === 'string' && g !== '')
      .map((g) => expandPath(g, folder));
  }
  return out;
}

function serverCommand() {
  const configured = vscode.workspace.getConfiguration(SECTION).get('path', '').trim();
  return configured === '' ? 'glossary-ls' : expandPath(configured, folderFor(undefined));
}

function showState(text, tooltip, error) {
  status.text = `$(book) Glossary: ${text}`;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground')
    : undefined;
  status.show();
}

function createClient() {
  const command = serverCommand();
  const serverOptions = {
    run: { command, args: ['--stdio'], transport: TransportKind.stdio },
    debug: { command, args: ['--stdio', '--log-level=debug'], transport: TransportKind.stdio },
  };
  const selector = [];
  for (const language of ['markdown', 'plaintext']) {
    for (const scheme of ['file', 'untitled']) selector.push({ scheme, language });
  }
  // JSON glossary files: the server lints them and helps with their
  // see-also references (other JSON files are not prose).
  selector.push({ scheme: 'file', language: 'json', pattern: '**/{glossary,*.glossary}.json' });
  const clientOptions = {
    documentSelector: selector,
    outputChannel: output,
    initializationOptions: () => explicitSettings(undefined),
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        configuration: (params, token, next) => {
          // Answer our section ourselves; pass anything else on.
          if (!params.items.some((item) => item.section === SECTION)) {
            return next(params, token);
          }
          return params.items.map((item) =>
            (item.section === SECTION ? explicitSettings(item.scopeUri) : null));
        },
      },
    },
  };
  const c = new LanguageClient(SECTION, 'glossary-ls', serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    if (e.newState === State.Starting) {
      showState('starting', `Starting ${command}`, false);
    } else if (e.newState === State.Running) {
      const info = c.initializeResult && c.initializeResult.serverInfo;
      const version = info && info.version ? ` ${info.version}` : '';
      showState('ready', `glossary-ls${version} is running (${command}). Click for the log.`,
        false);
    } else if (!stopping) {
      showState('error', 'The server stopped. Click for the log; run "glossary-ls: Restart ' +
        'the language server" to start it again.', true);
    } else {
      showState('stopped', 'The server is stopped.', false);
    }
  });
  return { client: c, command };
}

async function start() {
  const made = createClient();
  client = made.client;
  try {
    await client.start();
  } catch (err) {
    showState('error', `Could not start ${made.command}. Click for the log.`, true);
    output.appendLine(`glossary-ls: could not start ${made.command}: ${(err && err.message) || err}`);
    const choice = await vscode.window.showErrorMessage(
      `glossary-ls: could not start "${made.command}". Install glossary-ls or set ` +
      '"glossaryLs.path" to the executable.', 'Open Settings', 'Show Log');
    if (choice === 'Open Settings') {
      vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
    } else if (choice === 'Show Log') {
      output.show(true);
    }
  }
}

async function stop() {
  if (!client) return;
  const c = client;
  client = null;
  stopping = true;
  try {
    if (c.state !== State.Stopped) await c.stop();
  } catch (err) {
    output.appendLine(`glossary-ls: stopping the server failed: ${(err && err.message) || err}`);
  } finally {
    stopping = false;
  }
}

async function restart() {
  await stop();
  await start();
}

function activate(context) {
  output = vscode.window.createOutputChannel('glossary-ls');
  status = vscode.window.createStatusBarItem('glossaryLs.status', vscode.StatusBarAlignment.Right,
    100);
  status.name = 'glossary-ls';
  status.command = 'glossaryLs.showOutput';
  showState('starting', 'Starting the server', false);
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('glossaryLs.restart', restart),
    vscode.commands.registerCommand('glossaryLs.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${SECTION}.path`)) {
        await restart();
        return;
      }
      const changed = NEED_RESTART.filter((k) => e.affectsConfiguration(`${SECTION}.${k}`));
      if (changed.length > 0) {
        const choice = await vscode.window.showInformationMessage(
          `glossary-ls reads ${changed.map((k) => `"${SECTION}.${k}"`).join(' and ')} when it ` +
          'starts. Restart it now?', 'Restart');
        if (choice === 'Restart') await restart();
      }
    }),
  );
  return start();
}

function deactivate() {
  return stop();
}

// explicitSettings, contributedServerKeys and currentClient are for the tests.
module.exports = {
  activate, deactivate, explicitSettings, contributedServerKeys, currentClient: () => client,
};
