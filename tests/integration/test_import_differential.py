"""Differential test of the vocabulary importers: on one shared document
(tests/importers/differential/doc.md), the findings glossary-ls makes from
each imported vocabulary are the findings the original tool makes from it.
textlint with textlint-rule-terminology and cspell are run for real (pinned
in tests/importers/differential/package-lock.json, installed by npm ci);
Vale, which does not install here, is compared with findings written out
from its documented rules (vale-expected.json)."""

import json
import os
import re
import subprocess
import tempfile
import unittest

from lsp import BINARY, TIMEOUT
from test_node_client import HAVE_NODE, NO_NODE, ensure_node_modules

HERE = os.path.dirname(os.path.abspath(__file__))
DIFF = os.path.normpath(os.path.join(HERE, "..", "importers", "differential"))
DOC = os.path.join(DIFF, "doc.md")
BIN = os.path.join(DIFF, "node_modules", ".bin")
VOCAB = os.path.join(DIFF, "vale", "config", "vocabularies", "Playbook")
# The rules through which imported vocabularies speak.
RULES = ("avoid-term", "acronym-case")


def ours(glossary, doc=DOC):
    """(line, column, text, replacement) of our findings with only 'glossary'."""
    r = subprocess.run([BINARY, "check", "--no-builtin", "--glossary", glossary,
                        "--format", "json", doc], capture_output=True, text=True,
                       timeout=TIMEOUT, env=dict(os.environ, XDG_CONFIG_HOME="/nonexistent"))
    assert r.returncode in (0, 1), r.stderr
    lines = open(doc, encoding="utf-8").read().split("\n")
    found = []
    for f in json.loads(r.stdout):
        if f["rule"] not in RULES:
            continue
        assert f["line"] == f["endLine"], f
        text = lines[f["line"] - 1][f["column"] - 1:f["endColumn"] - 1]
        fix = f.get("fix", {}).get("replacement") if f.get("fix") else None
        found.append((f["line"], f["column"], text, fix))
    return sorted(found)


def run_tool(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    return r


@unittest.skipUnless(HAVE_NODE, NO_NODE)
class AgainstTheRealTools(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ensure_node_modules(DIFF)

    def test_textlint_terminology(self):
        terms = os.path.join(DIFF, "textlint-terms.json")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as rc:
            json.dump({"rules": {"terminology": {"defaultTerms": False, "terms": terms}}}, rc)
        try:
            r = run_tool([os.path.join(BIN, "textlint"), "--config", rc.name, "--format", "json",
                          DOC], DIFF)
        finally:
            os.unlink(rc.name)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        theirs = []
        text = open(DOC, encoding="utf-8").read()
        for m in json.loads(r.stdout)[0]["messages"]:
            start, end = m["fix"]["range"]
            theirs.append((m["line"], m["column"], text[start:end], m["fix"]["text"]))
        self.assertGreaterEqual(len(theirs), 8, "textlint found too little to compare: %s" % theirs)
        self.assertEqual(ours(terms), sorted(theirs))

    def test_cspell_flag_words(self):
        config = os.path.join(DIFF, "cspell.json")
        r = run_tool([os.path.join(BIN, "cspell"), "--no-progress", "--no-summary", "--no-color",
                      "--config", config, DOC], DIFF)
        theirs = []
        for line in r.stdout.splitlines():
            # doc.md:16:1 - Forbidden word (Kewl) fix: (The)
            m = re.search(r":(\d+):(\d+) - Forbidden word \(([^)]*)\)(?: fix: \(([^)]*)\))?", line)
            if m:
                theirs.append((int(m.group(1)), int(m.group(2)), m.group(3),
                               m.group(4).lower() if m.group(4) else None))
        self.assertGreaterEqual(len(theirs), 3, "cspell found too little: %s" % r.stdout)
        # cspell offers its fix in lower case where we keep the word's case.
        mine = [(l, c, t, f.lower() if f else None) for l, c, t, f in ours(config)]
        self.assertEqual(mine, sorted(theirs))


    def test_prh_rules(self):
        rules = os.path.join(DIFF, "..", "prh", "prh.yml")
        for doc in (DOC, os.path.join(DIFF, "..", "prh", "doc.md")):
            r = run_tool(["node", os.path.join(DIFF, "prh-findings.js"), rules, doc], DIFF)
            self.assertEqual(r.returncode, 0, r.stderr)
            # prh also lists a change that changes nothing when 'expected' has
            # a $1 the match leaves empty ("health score" for "health score$1");
            # we never report a fix that changes nothing.
            theirs = sorted((f["line"], f["column"], f["text"], f["replacement"])
                            for f in json.loads(r.stdout) if f["text"] != f["replacement"])
            if doc != DOC:
                self.assertGreaterEqual(len(theirs), 7, theirs)
            self.assertEqual(ours(rules, doc), theirs, doc)


class AgainstValeRules(unittest.TestCase):
    def test_vocabulary_accept_and_reject(self):
        expected = json.load(open(os.path.join(DIFF, "vale-expected.json")))
        for name in ("accept", "reject"):
            want = sorted((e["line"], e["column"], e["text"]) for e in expected[name])
            got = [(l, c, t) for l, c, t, _ in ours(os.path.join(VOCAB, name + ".txt"))]
            self.assertEqual(got, want, name)


if __name__ == "__main__":
    unittest.main()
