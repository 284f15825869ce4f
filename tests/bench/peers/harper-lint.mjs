// Lints one Markdown file with harper.js (its own rules: Harper has no
// avoid -> use vocabulary to give it) and prints the number of lints.
// Used by tests/bench/peers.py to time the whole process.
import { readFileSync } from "node:fs";
import { LocalLinter } from "harper.js";
import { binary } from "harper.js/binary";

const text = readFileSync(process.argv[2], "utf8");
const linter = new LocalLinter({ binary });
await linter.setup();
const lints = await linter.lint(text, { language: "markdown" });
console.log(`${lints.length} lints`);
