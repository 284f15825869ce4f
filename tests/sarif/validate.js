// Reads SARIF from the file named on the command line (or stdin) and
// validates it against the SARIF 2.1.0 schema; prints every violation and
// exits 1 on any. The schema is draft-04, which ajv 6 still speaks.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');

const schemaPath = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')),
                             'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv({ schemaId: 'id', allErrors: true, meta: false });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(schema);
const input = fs.readFileSync(process.argv[2] || 0, 'utf8');
const doc = JSON.parse(input);
if (!validate(doc)) {
  for (const e of validate.errors) console.log(`${e.dataPath || '/'}: ${e.message}`);
  process.exit(1);
}
console.log(`valid SARIF ${doc.version}: ${doc.runs.length} run(s), ` +
            `${doc.runs.reduce((n, r) => n + r.results.length, 0)} result(s)`);
