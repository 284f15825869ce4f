"""Editing a glossary file the server has loaded: its diagnostics are the
glossary's own problems (not prose findings on its definitions), hover on
a see-also reference or an avoid entry's "use" shows the concept it names,
and completion there offers concept ids (JSON) or terms (Markdown)."""

import json
import os
import tempfile
import unittest

from lsp import TIMEOUT, Server, eventually

TEAM = """{
  "concepts": [
    {
      "id": "orbit-score",
      "term": "Orbit Score",
      "abbreviations": ["OSC"],
      "definition": "A made-up measure; the ZQX team reports it with the QBR deck.",
      "avoid": [{"term": "orbit rating", "use": "Orbit Score"}],
      "seeAlso": ["churn", "renewal", "no-such-concept", "chu"]
    }
  ]
}
"""

MARKDOWN = """# Team terms

## Comet Index (CMI)

A made-up index the QZV group tracks.

See also: Churn, [Renewal](#renewal), Nothing Here
"""


def uri(path):
    return "file://" + path


def position_of(text, needle, delta=0):
    i = text.index(needle) + delta
    line = text.count("\n", 0, i)
    return {"line": line, "character": i - (text.rfind("\n", 0, i) + 1)}


class GlossaryFile(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, "xdg"))
        self.team = os.path.join(self.root, "team.json")
        self.md = os.path.join(self.root, "terms.md")
        with open(self.team, "w") as f:
            f.write(TEAM)
        with open(self.md, "w") as f:
            f.write(MARKDOWN)
        with open(os.path.join(self.root, ".glossary-ls.json"), "w") as f:
            json.dump({"glossaries": ["team.json", "terms.md"]}, f)

    def tearDown(self):
        self.tmp.cleanup()

    def start(self):
        s = Server(env=self.env)
        s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                              "capabilities": {}})
        s.notify("initialized", {})
        return s

    def hover(self, s, path, text, needle, delta=1):
        return s.call("textDocument/hover", {"textDocument": {"uri": uri(path)},
                                             "position": position_of(text, needle, delta)})

    def test_json_glossary(self):
        with self.start() as s:
            s.open(uri(self.team), TEAM, language="json")
            diags = s.notification("textDocument/publishDiagnostics", timeout=TIMEOUT,
                                   pred=lambda m: m["params"]["uri"] == uri(self.team))
            codes = [d["code"] for d in diags["params"]["diagnostics"]]
            # The lint of the file, not prose rules on its definitions.
            self.assertNotIn("undefined-acronym", codes)
            self.assertTrue(codes, "the unresolved see-also reference is reported")
            self.assertTrue(all(c.startswith("glossary-") for c in codes), codes)
            h = self.hover(s, self.team, TEAM, '"renewal"', 2)
            self.assertIn("Renewal", h["contents"]["value"])
            self.assertEqual(h["range"]["start"], position_of(TEAM, '"renewal"', 1))
            h = self.hover(s, self.team, TEAM, '"use": "Orbit Score"', 9)
            self.assertIn("Orbit Score", h["contents"]["value"])
            h = self.hover(s, self.team, TEAM, '"no-such-concept"', 3)
            self.assertIn("No concept has", h["contents"]["value"])
            # Completion inside the "chu" reference offers concept ids.
            pos = position_of(TEAM, '"chu"', 4)
            r = s.call("textDocument/completion", {"textDocument": {"uri": uri(self.team)},
                                                   "position": pos})
            inserts = {i["textEdit"]["newText"] for i in r["items"]}
            self.assertIn("churn", inserts)
            self.assertIn("churn-rate", inserts)
            edit = r["items"][0]["textEdit"]["range"]
            self.assertEqual(edit["start"], position_of(TEAM, '"chu"', 1))
            self.assertEqual(edit["end"], position_of(TEAM, '"chu"', 4))
            # Outside a reference: the JSON keys get no concept hover.
            self.assertIsNone(self.hover(s, self.team, TEAM, '"seeAlso"', 2))
            s.shutdown_and_exit()

    def test_markdown_glossary(self):
        with self.start() as s:
            s.open(uri(self.md), MARKDOWN)
            diags = s.notification("textDocument/publishDiagnostics", timeout=TIMEOUT,
                                   pred=lambda m: m["params"]["uri"] == uri(self.md))
            codes = [d["code"] for d in diags["params"]["diagnostics"]]
            self.assertNotIn("undefined-acronym", codes)  # QZV is in a definition
            h = self.hover(s, self.md, MARKDOWN, "[Renewal]", 3)
            self.assertIn("Renewal", h["contents"]["value"])
            h = self.hover(s, self.md, MARKDOWN, "Nothing Here", 2)
            self.assertIn("No concept has", h["contents"]["value"])
            pos = position_of(MARKDOWN, "Nothing Here", 0)
            r = s.call("textDocument/completion", {"textDocument": {"uri": uri(self.md)},
                                                   "position": pos})
            self.assertTrue(r["items"])
            self.assertTrue(all(i["kind"] == 18 for i in r["items"]))  # references
            # A prose line of the same file still gets the ordinary hover.
            h = self.hover(s, self.md, MARKDOWN, "Comet Index", 2)
            self.assertIn("Comet Index", h["contents"]["value"])
            s.shutdown_and_exit()

    def test_a_document_is_not_a_glossary_file(self):
        with self.start() as s:
            doc = os.path.join(self.root, "notes.md")
            text = "See also: Churn, and the ZQX team.\n"
            s.open(uri(doc), text)
            diags = s.notification("textDocument/publishDiagnostics", timeout=TIMEOUT,
                                   pred=lambda m: m["params"]["uri"] == uri(doc))
            codes = [d["code"] for d in diags["params"]["diagnostics"]]
            self.assertIn("undefined-acronym", codes)
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()
