#!/usr/bin/env node
// activate-test.js: extension.js activated outside VS Code, with the real
// vscode-languageclient (from node_modules) starting the real server
// (GLS_BINARY; GLS_WRAPPER, if set, goes in front of it) and the `vscode`
// module played by test/fake-vscode.js.
//
// Checks: the status bar goes starting -> ready; the server pulls the
// glossaryLs section through the extension's middleware and gets only the
// settings the user set; a Markdown document reaches the server (and a
// JSON one does not); glossaryLs.restart starts a new server; deactivate
// stops it; a server that cannot be started shows an error.
//
// Prints one JSON line; exits 1 with the reason on the first failure.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const fake = require('./fake-vscode').install();

const EXT = path.resolve(__dirname, '..');
const SCALE = Number(process.env.GLS_TIMEOUT_SCALE || '1') || 1;

function fail(msg) {
  process.stderr.write(`activate-test: FAILED: ${msg}\n` +
    `output channel (tail):\n${fake.recorded.output.join('').split('\n').slice(-30).join('\n')}\n`);
  process.exit(1);
}

function expect(cond, msg) {
  if (!cond) fail(msg);
}

async function until(what, pred, ms = 10000 * SCALE) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function context() {
  return { subscriptions: [], extensionPath: EXT, extension: { packageJSON: require('../package.json') } };
}

async function main() {
  const binary = process.env.GLS_BINARY;
  expect(binary, 'GLS_BINARY is not set');
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gls-vscode-activate-')));
  process.env.XDG_CONFIG_HOME = path.join(root, 'xdg'); // inherited by the server
  let server = binary;
  if (process.env.GLS_WRAPPER) {
    // glossaryLs.path names one executable: a script puts the wrapper first.
    server = path.join(root, 'glossary-ls-wrapped');
    fs.writeFileSync(server, `#!/bin/sh\nexec ${process.env.GLS_WRAPPER} '${binary}' "$@"\n`,
      { mode: 0o755 });
  }
  const pkg = require('../package.json');
  for (const [k, v] of Object.entries(pkg.contributes.configuration.properties)) {
    fake.defaults[k] = v.default;
  }
  fake.setFolders([root]);
  fake.settings.user['glossaryLs.path'] = server;
  fake.settings.user['glossaryLs.rules'] = { 'avoid-term': 'error' };
  fake.settings.workspace['glossaryLs.debounceMs'] = 40;
  const results = { ok: false };

  const ext = require('../extension.js');
  const ctx = context();
  await ext.activate(ctx);
  const client = ext.currentClient();
  expect(client, 'no client after activate');
  const status = fake.recorded.status;
  expect(status && status.text === '$(book) Glossary: ready',
    `status bar says ${status && status.text}; errors: ${fake.recorded.errors}`);
  expect(fake.recorded.statusTexts.includes('$(book) Glossary: starting'),
    `status bar never said starting: ${fake.recorded.statusTexts}`);
  expect(status.command === 'glossaryLs.showOutput', `status bar command ${status.command}`);
  for (const id of ['glossaryLs.restart', 'glossaryLs.showOutput']) {
    expect(typeof fake.recorded.commands[id] === 'function', `command ${id} not registered`);
  }
  const caps = client.initializeResult && client.initializeResult.capabilities;
  expect(caps && caps.hoverProvider, 'no initialize result with hover');

  // The server pulled glossaryLs and holds exactly what the user set.
  const st = await until('the configuration pull', async () => {
    const s = await client.sendRequest('glossaryLs/status');
    return s.configurationPulls > 0 ? s : null;
  });
  expect(JSON.stringify(st.settings) === JSON.stringify({
    rules: { 'avoid-term': 'error' }, debounceMs: 40,
  }), `the server holds ${JSON.stringify(st.settings)}`);
  results.settings = st.settings;

  // Documents: Markdown and glossary JSON files are synchronised, other
  // JSON is not.
  const md = path.join(root, 'notes.md');
  fake.open(md, 'markdown', 'The NPS score rose.\n');
  fake.open(path.join(root, 'data.json'), 'json', '{}\n');
  fake.open(path.join(root, 'team.glossary.json'), 'json', '{"concepts": []}\n');
  const docs = await until('didOpen of notes.md', async () => {
    const s = await client.sendRequest('glossaryLs/status');
    return s.documents.length > 0 ? s.documents : null;
  });
  await new Promise((r) => setTimeout(r, 200 * SCALE));
  const uris = (await client.sendRequest('glossaryLs/status')).documents.map((d) => d.uri);
  expect(uris.length === 2 && uris.some((u) => u.endsWith('/notes.md')) &&
         uris.some((u) => u.endsWith('/team.glossary.json')), `open documents ${uris}`);
  results.documents = docs.length;

  // Its diagnostics arrive (pulled, as VS Code does) with the user's rule
  // severity: avoid-term set to error.
  const diags = await until('diagnostics for notes.md', () => {
    const d = fake.diagnosticsFor(md);
    return d.length ? d : null;
  });
  const avoid = diags.find((d) => d.code && (d.code.value || d.code) === 'avoid-term');
  expect(avoid, `no avoid-term diagnostic: ${JSON.stringify(diags)}`);
  expect(avoid.severity === fake.api.DiagnosticSeverity.Error,
    `avoid-term severity ${avoid.severity}, the user set error`);
  expect(avoid.range.start.line === 0 && avoid.range.start.character === 4,
    `avoid-term range ${JSON.stringify(avoid.range)}`);
  results.diagnostics = diags.map((d) => d.code.value || d.code);

  // Restart: a new client, ready again.
  await fake.recorded.commands['glossaryLs.restart']();
  const second = ext.currentClient();
  expect(second && second !== client, 'restart kept the old client');
  expect(status.text === '$(book) Glossary: ready', `after restart the status says ${status.text}`);
  expect(fake.recorded.statusTexts.includes('$(book) Glossary: stopped'),
    `restart never showed stopped: ${fake.recorded.statusTexts}`);
  const again = await second.sendRequest('glossaryLs/status');
  expect(again.state === 'running', `after restart the server is ${again.state}`);

  // Deactivate stops the server.
  await ext.deactivate();
  expect(ext.currentClient() === null, 'a client is left after deactivate');
  expect(second.state === 1 /* Stopped */, `client state ${second.state} after deactivate`);
  ctx.subscriptions.forEach((d) => d.dispose());

  // Both servers (before and after the restart) exited with 0, and nothing
  // else went wrong on the way: the client logs its failures here.
  const exits = () => fake.recorded.output.join('').match(/Server process exited with [^\n]*/g) || [];
  await until('both servers to exit', () => exits().length >= 2);
  expect(exits().every((l) => l === 'Server process exited with code 0.'), `${exits()}`);
  const log = fake.recorded.output.join('').replace(/\[Error[^\]]*\] Server process exited with code 0\.\n/g, '');
  expect(!/\[Error|failed/.test(log), `errors in the output channel:\n${log}`);
  results.serverExits = exits().length;

  // An executable that does not exist: an error, in the status bar too.
  fake.settings.user['glossaryLs.path'] = path.join(root, 'no-such-glossary-ls');
  const ctx2 = context();
  await ext.activate(ctx2);
  expect(fake.recorded.status.text === '$(book) Glossary: error',
    `with a missing server the status says ${fake.recorded.status.text}`);
  expect(fake.recorded.errors.some((m) => m.includes('could not start')),
    `no error message; got ${JSON.stringify(fake.recorded.errors)}`);
  await ext.deactivate();
  ctx2.subscriptions.forEach((d) => d.dispose());

  fs.rmSync(root, { recursive: true, force: true });
  results.ok = true;
  results.statusTexts = [...new Set(fake.recorded.statusTexts)];
  process.stdout.write(JSON.stringify(results) + '\n');
  process.exit(0);
}

main().catch((e) => fail(`${e && e.stack}`));
