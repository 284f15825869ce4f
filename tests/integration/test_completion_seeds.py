"""Completion offers every seed form: typing all but the last character of
a form (in utf-16 and utf-8, after emoji and CJK text) lists an item of
the form's concept, with a text edit that replaces exactly the prefix."""

import os
import unittest

from lsp import Server

URI = "file:///tmp/completion-seeds.md"
HERE = os.path.dirname(os.path.abspath(__file__))


def seed_forms():
    rows = []
    with open(os.path.join(HERE, "..", "data", "seed-forms.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            form, concept, _ = line.rstrip("\n").split("\t")
            rows.append((form, concept))
    return rows


def units(s, enc):
    return len(s.encode("utf-8")) if enc == "utf-8" else len(s.encode("utf-16-le")) // 2


class CompletionSeeds(unittest.TestCase):
    def run_all(self, encodings):
        rows = seed_forms()
        self.assertGreater(len(rows), 250)
        lead = "Notes 😀 漢字: "
        with Server() as s:
            enc = s.initialize(encodings=encodings)["capabilities"]["positionEncoding"]
            text = "".join(lead + form[:-1] + "\n" for form, _ in rows)
            s.open(URI, text)
            misses = []
            for line, (form, concept) in enumerate(rows):
                prefix = form[:-1]
                start = units(lead, enc)
                end = start + units(prefix, enc)
                res = s.call("textDocument/completion", {
                    "textDocument": {"uri": URI},
                    "position": {"line": line, "character": end}})
                items = [i for i in res["items"] if i["data"]["concept"] == concept]
                if not items:
                    misses.append(form)
                    continue
                rng = items[0]["textEdit"]["range"]
                if rng["end"] != {"line": line, "character": end} or rng["start"]["line"] != line:
                    misses.append(form + " (range)")
            s.shutdown_and_exit()
        self.maxDiff = None
        self.assertEqual(misses, [])

    def test_utf16(self):
        self.run_all(None)

    def test_utf8(self):
        self.run_all(["utf-8"])


if __name__ == "__main__":
    unittest.main()
