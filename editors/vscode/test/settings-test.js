#!/usr/bin/env node
// settings-test.js: the extension's contributed settings against what the
// server reads, without VS Code.
//
// 1. Every key server/settings.c reads (json_object_get(obj, "...")) is
//    contributed as glossaryLs.<key>, with a type, a description and a
//    default equal to the server's default (parsed from gls_settings_init
//    and the rule table in server/rules.c); nothing else is contributed
//    but glossaryLs.path and glossaryLs.trace.server.
// 2. The config-file schema knows every key server/config.c accepts.
// 3. extension.js, loaded with a stand-in for the `vscode` module (the
//    real one exists only inside VS Code), sends only the settings the
//    user set, merges rules across levels and resolves glossary paths.
//
// Prints one JSON line; exits 1 with the reason on the first failure.
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

const EXT = path.resolve(__dirname, '..');
const REPO = process.env.GLS_REPO || path.resolve(EXT, '..', '..');

function fail(msg) {
  process.stderr.write(`settings-test: FAILED: ${msg}\n`);
  process.exit(1);
}

function expect(cond, msg) {
  if (!cond) fail(msg);
}

function read(rel) {
  return fs.readFileSync(path.join(REPO, rel), 'utf8');
}

function allMatches(re, text) {
  return [...text.matchAll(re)];
}

// ---------------------------------------------------------------------------
// What the server reads.

const settingsC = read('server/settings.c');
const serverKeys = [...new Set(allMatches(/json_object_get\(\s*obj\s*,\s*"([^"]+)"\s*\)/g,
  settingsC).map((m) => m[1]))];
expect(serverKeys.length >= 5, `found only ${serverKeys.length} keys in server/settings.c; ` +
  'has the way settings are read changed?');

// Field assigned from each scalar key: `json_object_get(obj, "KEY")) ... s->FIELD =`.
const fieldOf = {};
for (const m of allMatches(/json_object_get\(obj, "(\w+)"\)\)[^;{]*?\)\s*s->(\w+)\s*=/g,
  settingsC)) {
  fieldOf[m[1]] = m[2];
}
// Field defaults from gls_settings_init (everything else is zeroed by memset).
const init = settingsC.match(/void gls_settings_init\([^)]*\)\s*\{([\s\S]*?)\n\}/);
expect(init, 'gls_settings_init not found in server/settings.c');
expect(/memset\(s, 0, sizeof \*s\)/.test(init[1]), 'gls_settings_init no longer zeroes first');
const initValue = {};
for (const m of allMatches(/s->(\w+)\s*=\s*(\d+)\s*;/g, init[1])) initValue[m[1]] = Number(m[2]);

// The rule table and the severity names.
const rulesC = read('server/rules.c');
const ruleDefaults = {};
for (const m of allMatches(/\{"([a-z-]+)",\s*GLS_SEV_([A-Z]+),/g, rulesC)) {
  ruleDefaults[m[1]] = m[2].toLowerCase();
}
expect(Object.keys(ruleDefaults).length >= 6, 'rule table not found in server/rules.c');
const nameFn = rulesC.match(/const char \*gls_severity_name\([^)]*\)\s*\{([\s\S]*?)\n\}/);
expect(nameFn, 'gls_severity_name not found in server/rules.c');
const severityNames = allMatches(/return "(\w+)";/g, nameFn[1]).map((m) => m[1]).sort();

// ---------------------------------------------------------------------------
// What the extension contributes.

const pkg = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
const props = pkg.contributes.configuration.properties;
const contributed = Object.keys(props);
const own = ['glossaryLs.path', 'glossaryLs.trace.server'];

for (const key of serverKeys) {
  expect(props[`glossaryLs.${key}`], `the server reads "${key}" (server/settings.c) but ` +
    `package.json does not contribute glossaryLs.${key}`);
}
for (const name of contributed) {
  expect(name.startsWith('glossaryLs.'), `${name}: not under glossaryLs`);
  const key = name.slice('glossaryLs.'.length);
  expect(own.includes(name) || serverKeys.includes(key),
    `${name} is contributed but the server never reads "${key}"`);
}
for (const name of own) expect(props[name], `${name} is not contributed`);
expect(JSON.stringify(props['glossaryLs.trace.server'].enum) ===
  JSON.stringify(['off', 'messages', 'verbose']), 'glossaryLs.trace.server: enum');

const typeOf = (v) => (Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer'
  : v === null ? 'null' : typeof v);
for (const name of contributed) {
  const p = props[name];
  const desc = p.description || p.markdownDescription;
  expect(typeof desc === 'string' && desc.length > 20, `${name}: no description`);
  expect(typeof p.type === 'string', `${name}: no type`);
  expect('default' in p, `${name}: no default`);
  const t = typeOf(p.default);
  expect(t === p.type || (p.type === 'number' && t === 'integer'),
    `${name}: default ${JSON.stringify(p.default)} is not of type ${p.type}`);
  if (p.enum) expect(p.enum.includes(p.default), `${name}: default not in enum`);
}

// Defaults equal the server's.
const checkedDefaults = [];
for (const key of serverKeys) {
  const p = props[`glossaryLs.${key}`];
  if (key === 'rules') {
    expect(JSON.stringify(p.default) === JSON.stringify(ruleDefaults),
      `glossaryLs.rules: default ${JSON.stringify(p.default)} differs from server/rules.c ` +
      JSON.stringify(ruleDefaults));
    expect(JSON.stringify(Object.keys(p.properties).sort()) ===
      JSON.stringify(Object.keys(ruleDefaults).sort()), 'glossaryLs.rules: properties differ ' +
      'from the rule table');
    for (const [rule, schema] of Object.entries(p.properties)) {
      expect(JSON.stringify([...schema.enum].sort()) === JSON.stringify(severityNames),
        `glossaryLs.rules.${rule}: enum differs from gls_severity_name's ${severityNames}`);
    }
  } else if (p.type === 'array') {
    expect(p.default.length === 0, `glossaryLs.${key}: the server's default is an empty list`);
  } else if (key === 'diagnostics') {
    // "push" -> 1, "pull" -> 2, anything else -> 0; the default is 0.
    const modes = {};
    for (const m of allMatches(/strcmp\(m, "(\w+)"\) == 0 \? (\d+)/g, settingsC)) {
      modes[m[1]] = Number(m[2]);
    }
    expect(Object.keys(modes).length >= 2, 'diagnostics modes not found in server/settings.c');
    for (const e of p.enum) {
      expect(e in modes || e === p.default, `glossaryLs.diagnostics: "${e}" unknown to the server`);
    }
    expect(!(p.default in modes) || modes[p.default] === 0,
      `glossaryLs.diagnostics: default "${p.default}" is not the server's`);
  } else {
    const field = fieldOf[key];
    expect(field, `glossaryLs.${key}: cannot find which field server/settings.c sets from it`);
    const want = initValue[field] || 0;
    const got = p.type === 'boolean' ? (p.default ? 1 : 0) : p.default;
    expect(got === want, `glossaryLs.${key}: default ${JSON.stringify(p.default)}, but ` +
      `gls_settings_init sets ${field} = ${want}`);
  }
  checkedDefaults.push(key);
}

// ---------------------------------------------------------------------------
// JSON validation: schemas exist, config schema covers config.c.

const configC = read('server/config.c');
const known = configC.match(/static const char \*const known\[\] = \{([\s\S]*?)\};/);
expect(known, 'the known[] key list was not found in server/config.c');
const configKeys = allMatches(/"([^"]+)"/g, known[1]).map((m) => m[1]);
const configSchema = JSON.parse(fs.readFileSync(path.join(EXT, 'schemas/config.schema.json'),
  'utf8'));
for (const k of configKeys) {
  expect(configSchema.properties[k], `config.schema.json lacks "${k}" (server/config.c knows it)`);
}
for (const k of Object.keys(configSchema.properties)) {
  expect(configKeys.includes(k) || serverKeys.includes(k),
    `config.schema.json has "${k}", which the server neither knows nor reads`);
}
expect(JSON.stringify(Object.keys(configSchema.properties.rules.properties).sort()) ===
  JSON.stringify(Object.keys(ruleDefaults).sort()), 'config.schema.json: rules differ');
const configNames = allMatches(/#define GLS_CONFIG_FILE "([^"]+)"/g,
  read('include/gls/config.h')).map((m) => m[1]);
expect(configNames.length === 1, 'GLS_CONFIG_FILE not found in include/gls/config.h');
const validations = pkg.contributes.jsonValidation;
const matchOf = (url) => (validations.find((v) => v.url === url) || {}).fileMatch || [];
expect(matchOf('./schemas/config.schema.json').includes(configNames[0]),
  `jsonValidation: ${configNames[0]} not associated with the config schema`);
expect(matchOf('./schemas/config.schema.json').includes('**/glossary-ls/config.json'),
  'jsonValidation: the user config file not associated');
for (const f of ['glossary.json', '*.glossary.json']) {
  expect(matchOf('./schemas/glossary.schema.json').includes(f),
    `jsonValidation: ${f} not associated with the glossary schema`);
}
expect(fs.existsSync(path.join(REPO, 'docs/glossary.schema.json')),
  'docs/glossary.schema.json is missing (make vsix copies it into the package)');

// ---------------------------------------------------------------------------
// extension.js with a stand-in `vscode` module.

const user = {};
const workspace = {};
const folderValues = {};
const folder = { uri: { fsPath: '/work/space' }, name: 'space', index: 0 };
const fakeVscode = {
  Uri: { parse: (s) => ({ toString: () => s, fsPath: s.replace(/^file:\/\//, '') }) },
  workspace: {
    workspaceFolders: [folder],
    getWorkspaceFolder: () => folder,
    getConfiguration: (section) => {
      expect(section === 'glossaryLs', `extension.js asked for section ${section}`);
      return {
        get: (key, dflt) => (key in user ? user[key] : dflt),
        inspect: (key) => ({
          key: `glossaryLs.${key}`,
          defaultValue: (props[`glossaryLs.${key}`] || {}).default,
          globalValue: user[key],
          workspaceValue: workspace[key],
          workspaceFolderValue: folderValues[key],
        }),
      };
    },
  },
};
const realResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === 'vscode') return 'vscode';
  return realResolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode };
// vscode-languageclient needs the real `vscode` module as soon as it is
// loaded, so it is stood in for too: only the settings logic runs here.
const stub = path.join(EXT, 'node_modules', 'vscode-languageclient', 'node');
Module._resolveFilename = function resolve(request, ...rest) {
  if (request === 'vscode') return 'vscode';
  if (request === 'vscode-languageclient/node') return stub;
  return realResolve.call(this, request, ...rest);
};
require.cache[stub] = { id: stub, filename: stub, loaded: true,
  exports: { LanguageClient: class {}, State: {}, TransportKind: {} } };
// When installed, it is the version package.json pins.
let languageClient = 'not installed';
const lcPkg = path.join(EXT, 'node_modules', 'vscode-languageclient', 'package.json');
if (fs.existsSync(lcPkg)) {
  languageClient = JSON.parse(fs.readFileSync(lcPkg, 'utf8')).version;
  expect(languageClient === pkg.dependencies['vscode-languageclient'],
    `installed vscode-languageclient ${languageClient}, package.json pins ` +
    pkg.dependencies['vscode-languageclient']);
}
const ext = require(path.join(EXT, 'extension.js'));
const keys = ext.contributedServerKeys(pkg);
expect(JSON.stringify([...keys].sort()) === JSON.stringify([...serverKeys].sort()),
  `extension.js would send ${keys}, the server reads ${serverKeys}`);

// Nothing set: nothing sent, so config files decide.
const sentKeys = (o) => JSON.stringify(Object.keys(o).sort());
expect(sentKeys(ext.explicitSettings(undefined)) === '[]',
  `nothing set, yet extension.js sends ${JSON.stringify(ext.explicitSettings(undefined))}`);
// Set values are sent as set, the most specific level winning; rules merge.
user.hover = false;
user.debounceMs = 400;
workspace.debounceMs = 50;
user.rules = { 'avoid-term': 'error', 'undefined-acronym': 'off' };
folderValues.rules = { 'undefined-acronym': 'hint' };
user.glossaries = ['/abs/team.md', 'docs/glossary.json', '~/g.txt',
  '${workspaceFolder}/x.json', ''];
const sent = ext.explicitSettings('file:///work/space/a.md');
expect(sentKeys(sent) === JSON.stringify(['debounceMs', 'glossaries', 'hover', 'rules']),
  `sent ${JSON.stringify(sent)}`);
expect(sent.hover === false && sent.debounceMs === 50, `levels: ${JSON.stringify(sent)}`);
expect(JSON.stringify(sent.rules) === JSON.stringify({ 'avoid-term': 'error',
  'undefined-acronym': 'hint' }), `rules merge: ${JSON.stringify(sent.rules)}`);
expect(JSON.stringify(sent.glossaries) === JSON.stringify(['/abs/team.md',
  '/work/space/docs/glossary.json', path.join(require('os').homedir(), 'g.txt'),
  '/work/space/x.json']), `glossary paths: ${JSON.stringify(sent.glossaries)}`);

process.stdout.write(JSON.stringify({
  ok: true,
  serverKeys: serverKeys.length,
  defaultsChecked: checkedDefaults.length,
  rules: Object.keys(ruleDefaults).length,
  configKeys: configKeys.length,
  languageClient,
}) + '\n');
