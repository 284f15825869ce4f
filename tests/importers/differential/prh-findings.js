// Prints, as JSON, what prh itself finds in a document with a rule file:
// [{line, column, text, replacement}] (1-based line and column in code points).
// Used by tests/integration/test_import_differential.py.
const fs = require("fs");
const prh = require("prh");
const [rules, doc] = process.argv.slice(2);
const engine = prh.fromYAMLFilePath(rules);
const content = fs.readFileSync(doc, "utf8");
const changeSet = engine.makeChangeSet(doc, content);
const out = changeSet.diffs.map((d) => {
  const before = content.slice(0, d.index);
  const line = before.split("\n").length;
  const column = Array.from(before.slice(before.lastIndexOf("\n") + 1)).length + 1;
  return { line, column, text: d.matches[0], replacement: d.newText };
});
console.log(JSON.stringify(out));
