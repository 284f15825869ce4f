"""Hover on every seed form over stdio: a Markdown document holds each form
of tests/data/seed-forms.tsv in a sentence of its own, several sentences a
line, forms at the start and at the end of lines, and emoji and CJK text
before forms on the same line. Hovering the middle of each form must hit
and the range must cover exactly the form, with UTF-16 and with UTF-8
positions negotiated; a form inside a code span gets no hover."""

import json
import os
import unittest

from lsp import Server

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
SEEDS = os.path.join(ROOT, "tests", "data", "seed-forms.tsv")
GLOSSARY = os.path.join(ROOT, "server", "data", "cs-glossary.json")
URI = "file:///tmp/hover-seeds.md"

# Text placed before forms: wide characters move UTF-16 and UTF-8
# positions apart (an emoji is 2 UTF-16 units and 4 bytes, a CJK
# character 1 unit and 3 bytes).
EMOJI = "\U0001F600"
CJK = "\u6f22\u5b57"


def seed_forms():
    with open(SEEDS, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    assert rows[0][:2] == ["form", "concept"], "unexpected header in %s" % SEEDS
    return [(r[0], r[1]) for r in rows[1:]]


def preferred_terms():
    with open(GLOSSARY, encoding="utf-8") as f:
        return {c["id"]: c["term"] for c in json.load(f)["concepts"]}


# Line shapes, cycled. '{}' is a form; each is a sentence of its own, and
# the words around forms belong to no glossary form. Lines are separate
# paragraphs, so a form at the end of a line never runs into the next.
SHAPES = [
    # forms at the start and at the end of the line
    "{} opens the line. See {} here. Last comes {}",
    # emoji and CJK before forms on the same line
    EMOJI + " " + CJK + " See {} here. " + EMOJI + " Then {} again. " + CJK + "{} too.",
    # emoji right before the first form of the line, and a form at the end
    EMOJI + "{} after an emoji. Then " + CJK + " " + EMOJI + " {}",
    # several plain sentences
    "See {} here. Note {} also. Read {} twice. Keep {} close.",
]


def build_document(forms):
    """Returns (text, placements): placements are (form, concept, line,
    start, end) with start and end as indexes into that line's string."""
    lines, placements = [], []
    i, shape = 0, 0
    while i < len(forms):
        template = SHAPES[shape % len(SHAPES)]
        shape += 1
        parts = template.split("{}")
        line = parts[0]
        k = 0
        while k < len(parts) - 1 and i < len(forms):
            form, concept = forms[i]
            placements.append((form, concept, len(lines), len(line), len(line) + len(form)))
            line += form + parts[k + 1]
            i += 1
            k += 1
        lines.append(line)
        lines.append("")
    return "\n".join(lines), placements


def units(s, enc):
    if enc == "utf-8":
        return len(s.encode("utf-8"))
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


class HoverSeeds(unittest.TestCase):
    def check_encoding(self, encodings, want):
        forms = seed_forms()
        self.assertGreater(len(forms), 200)
        terms = preferred_terms()
        text, placements = build_document(forms)
        code_line = "Code: `NRR` and `" + CJK + " Customer Health Score` " + EMOJI + " `QBR`."
        text += "\n" + code_line + "\n"
        lines = text.split("\n")
        with Server() as s:
            r = s.initialize(encodings=encodings)
            enc = r["capabilities"]["positionEncoding"]
            self.assertEqual(enc, want)
            s.open(URI, text)
            problems = []
            for form, concept, ln, a, b in placements:
                line = lines[ln]
                self.assertEqual(line[a:b], form)
                start, end = units(line[:a], enc), units(line[:b], enc)
                mid = start + (end - start) // 2
                res = s.call("textDocument/hover", {"textDocument": {"uri": URI},
                                                    "position": {"line": ln, "character": mid}})
                if res is None:
                    problems.append("%r (line %d): no hover" % (form, ln))
                    continue
                got = res.get("range")
                want_range = {"start": {"line": ln, "character": start},
                              "end": {"line": ln, "character": end}}
                if got != want_range:
                    problems.append("%r (line %d): range %r, want %r"
                                    % (form, ln, got, want_range))
                value = res["contents"]["value"]
                if terms[concept] not in value:
                    problems.append("%r (line %d): hover does not describe %r: %r"
                                    % (form, ln, terms[concept], value[:80]))

            # Forms in code spans: no hover anywhere inside them.
            ln = len(lines) - 2
            self.assertEqual(lines[ln], code_line)
            for code in ("NRR", "Customer Health Score", "QBR"):
                a = code_line.index(code)
                for c in range(a, a + len(code) + 1):
                    pos = units(code_line[:c], enc)
                    res = s.call("textDocument/hover", {"textDocument": {"uri": URI},
                                                        "position": {"line": ln,
                                                                     "character": pos}})
                    if res is not None:
                        problems.append("%r in a code span: hover at %d: %r"
                                        % (code, pos, res.get("range")))
            self.assertEqual(s.shutdown_and_exit(), 0)
        self.assertEqual(problems, [], "%d of %d hovers wrong:\n%s"
                         % (len(problems), len(placements), "\n".join(problems)))

    def test_utf16(self):
        self.check_encoding(None, "utf-16")

    def test_utf8(self):
        self.check_encoding(["utf-8"], "utf-8")


if __name__ == "__main__":
    unittest.main()
