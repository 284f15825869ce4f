"""textDocument/prepareRename and textDocument/rename over stdio: a form
of a workspace glossary's concept renamed in the glossary file and at every
use across 50 documents of the workspace, in one WorkspaceEdit that keeps
each use's plural, possessive and capitalization; refusals for built-in
concepts, avoided forms, collisions and bad names."""

import json
import os
import tempfile
import time
import unittest

from lsp import SLOW, TIMEOUT, Server

FILES = 50

GLOSSARY = {"concepts": [
    {"term": "Orbit Score", "abbreviations": ["OSC"],
     "definition": "A made-up measure of how closely an account follows its plan.",
     "avoid": [{"term": "orbit rating", "use": "Orbit Score"}]},
    {"term": "Comet Index", "abbreviations": ["CMI"],
     "definition": "Another made-up measure, to collide with."},
]}

# Each document uses the forms in a different way; what each becomes when
# OSC -> ORB and Orbit Score -> Orbit Index.
USES = [
    ("The OSC rose.", "The ORB rose.", "The OSC rose."),
    ("Two OSCs fell.", "Two ORBs fell.", "Two OSCs fell."),
    ("The OSC's trend held.", "The ORB's trend held.", "The OSC's trend held."),
    ("Our orbit score is steady.", "Our orbit score is steady.", "Our orbit index is steady."),
    ("Orbit scores vary by segment.", "Orbit scores vary by segment.",
     "Orbit indexes vary by segment."),
    ("The Orbit Score's weight is low.", "The Orbit Score's weight is low.",
     "The Orbit Index's weight is low."),
]


def uri(path):
    return "file://" + path


def apply_edits(text, edits):
    """Applies LSP TextEdits (utf-16 positions, which equal code points for
    this ASCII text) to 'text'."""
    lines = text.split("\n")
    offs = [0]
    for line in lines:
        offs.append(offs[-1] + len(line) + 1)

    def off(p):
        return offs[p["line"]] + p["character"]
    for e in sorted(edits, key=lambda e: off(e["range"]["start"]), reverse=True):
        a, b = off(e["range"]["start"]), off(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
    return text


class Rename(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, ".xdg"))
        self.write(".glossary-ls.json", json.dumps({"glossaries": ["team.json"]}))
        self.write("team.json", json.dumps(GLOSSARY, indent=2) + "\n")
        self.docs = []
        for i in range(FILES):
            before, _, _ = USES[i % len(USES)]
            text = "# Week %d\n\n%s\n\nPlain words.\n" % (i, before)
            self.docs.append((self.write("docs/w%02d.md" % i, text), i))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def start(self, prepare=True):
        s = Server(env=self.env)
        caps = {"window": {"workDoneProgress": True},
                "textDocument": {"rename": {"prepareSupport": prepare}}}
        r = s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                                  "capabilities": caps})
        self.assertEqual(r["capabilities"]["renameProvider"],
                         {"prepareProvider": True} if prepare else True)
        s.notify("initialized", {})
        # Wait for the workspace index.
        req = s.server_request("window/workDoneProgress/create", timeout=TIMEOUT)
        s.reply(req["id"], None)
        token = req["params"]["token"]
        deadline = time.time() + 60 * SLOW
        while time.time() < deadline:
            m = s.notification("$/progress", timeout=60 * SLOW,
                               pred=lambda m: m["params"]["token"] == token)
            if m["params"]["value"]["kind"] == "end":
                break
        return s

    def rename_at(self, s, doc, line, ch, name):
        return s.request("textDocument/rename", {
            "textDocument": {"uri": uri(doc)}, "position": {"line": line, "character": ch},
            "newName": name}, timeout=30 * SLOW)

    def check_rename(self, s, new_name, which):
        first = self.docs[0][0]
        with open(first) as f:
            s.open(uri(first), f.read())
        # "The OSC rose." on line 2 of the first document: OSC, or the
        # full form in the fourth document.
        if which == 1:
            target, line, ch = first, 2, 5
        else:
            target, line, ch = self.docs[3][0], 2, 6
            with open(target) as f:
                s.open(uri(target), f.read())
        prep = s.call("textDocument/prepareRename", {
            "textDocument": {"uri": uri(target)}, "position": {"line": line, "character": ch}})
        self.assertEqual(prep["placeholder"], "OSC" if which == 1 else "Orbit Score")
        r = self.rename_at(s, target, line, ch, new_name)
        self.assertNotIn("error", r, r)
        changes = r["result"]["changes"]
        glossary = os.path.join(self.root, "team.json")
        files = set(changes)
        want_files = {uri(glossary)} | {uri(p) for p, i in self.docs
                                        if USES[i % len(USES)][0] != USES[i % len(USES)][which]}
        self.assertEqual(files, want_files)
        for p, i in self.docs:
            with open(p) as f:
                text = f.read()
            got = apply_edits(text, changes.get(uri(p), []))
            self.assertIn(USES[i % len(USES)][which], got, p)
        with open(glossary) as f:
            g = json.loads(apply_edits(f.read(), changes[uri(glossary)]))
        c = g["concepts"][0]
        if which == 1:
            self.assertEqual(c["abbreviations"], [new_name])
            self.assertEqual(c["term"], "Orbit Score")
        else:
            self.assertEqual(c["term"], new_name)
            self.assertEqual(c["abbreviations"], ["OSC"])
        # The server wrote nothing itself: the edit is the editor's to apply.
        with open(glossary) as f:
            self.assertEqual(json.load(f), GLOSSARY)

    def test_rename_an_abbreviation_across_fifty_files(self):
        with self.start() as s:
            self.check_rename(s, "ORB", 1)
            s.shutdown_and_exit()

    def test_rename_a_term_keeps_case_plural_and_possessive(self):
        with self.start(prepare=False) as s:
            self.check_rename(s, "Orbit Index", 2)
            s.shutdown_and_exit()

    def test_refusals(self):
        with self.start() as s:
            doc = os.path.join(self.root, "notes.md")
            s.open(uri(doc), "The NRR grew. Our orbit rating rose. The OSC held.\n")
            for ch, words in ((5, "built-in"), (20, "avoid")):
                r = s.request("textDocument/prepareRename", {
                    "textDocument": {"uri": uri(doc)},
                    "position": {"line": 0, "character": ch}})
                self.assertEqual(r["error"]["code"], -32803, r)
                self.assertIn(words, r["error"]["message"])
                r = self.rename_at(s, doc, 0, ch, "Something")
                self.assertEqual(r["error"]["code"], -32803, r)
            # Not on a term at all.
            r = self.rename_at(s, doc, 0, 1, "X")
            self.assertEqual(r["error"]["code"], -32803)
            # A name another concept already has.
            for clash in ("CMI", "comet index"):
                r = self.rename_at(s, doc, 0, 41, clash)
                self.assertEqual(r["error"]["code"], -32803)
                self.assertIn("Comet Index", r["error"]["message"])
            # Names that are not names.
            for bad in ("", "two\nlines", " OSX", "--", 7):
                r = self.rename_at(s, doc, 0, 41, bad)
                self.assertEqual(r["error"]["code"], -32602, (bad, r))
            # Still serving, and the rename that is allowed works.
            r = self.rename_at(s, doc, 0, 41, "OSX")
            self.assertIn(uri(doc), r["result"]["changes"])
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()
