"""glossary-ls glossary lint / export: located problems, and exports that
load back into the same glossary."""

import json
import os
import subprocess
import tempfile
import unittest
import xml.dom.minidom

from lsp import BINARY, TIMEOUT


def gls(*args):
    return subprocess.run([BINARY] + list(args), capture_output=True, text=True, timeout=TIMEOUT)


class GlossaryCli(unittest.TestCase):
    def test_lint(self):
        with tempfile.TemporaryDirectory() as d:
            good = os.path.join(d, "good.json")
            with open(good, "w") as f:
                json.dump({"concepts": [{"term": "Orbit Score", "definition": "A metric."}]}, f)
            r = gls("glossary", "lint", good)
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertIn("1 concepts, 0 errors", r.stdout)
            bad = os.path.join(d, "bad.json")
            with open(bad, "w") as f:
                f.write('{"concepts": [\n {"id": "x", "term": "Alpha", "definition": "x"},\n'
                        ' {"id": "y", "term": "alpha"}]}')
            r = gls("glossary", "lint", bad)
            self.assertEqual(r.returncode, 1)
            self.assertIn(bad + ":3:", r.stdout)
            self.assertIn("[glossary-conflict]", r.stdout)
            self.assertEqual(gls("glossary", "lint").returncode, 2)

    def test_json_export_round_trips(self):
        with tempfile.TemporaryDirectory() as d:
            first = gls("glossary", "export", "--format", "json").stdout
            data = json.loads(first)
            self.assertEqual(len(data["concepts"]), 230)
            path = os.path.join(d, "export.json")
            with open(path, "w") as f:
                f.write(first)
            second = gls("glossary", "export", "--no-builtin", "--glossary", path).stdout
            self.assertEqual(json.loads(second)["concepts"], data["concepts"])

    def test_markdown_export_loads_back(self):
        with tempfile.TemporaryDirectory() as d:
            md = gls("glossary", "export", "--format", "markdown").stdout
            path = os.path.join(d, "export.md")
            with open(path, "w") as f:
                f.write(md)
            back = json.loads(gls("glossary", "export", "--no-builtin", "--glossary", path).stdout)
            terms = {c["term"] for c in back["concepts"]}
            orig = {c["term"] for c in json.loads(gls("glossary", "export").stdout)["concepts"]}
            self.assertEqual(terms, orig)

    def test_tbx_export_is_well_formed(self):
        out = gls("glossary", "export", "--format", "tbx").stdout
        dom = xml.dom.minidom.parseString(out)
        root = dom.documentElement
        self.assertEqual(root.tagName, "tbx")
        self.assertEqual(root.getAttribute("type"), "TBX-Basic")
        entries = dom.getElementsByTagName("conceptEntry")
        self.assertEqual(len(entries), 230)
        statuses = {n.firstChild.data for n in dom.getElementsByTagName("termNote")
                    if n.getAttribute("type") == "administrativeStatus"}
        self.assertEqual(statuses, {"preferredTerm-admn-sts", "admittedTerm-admn-sts",
                                    "deprecatedTerm-admn-sts"})

    def test_bad_usage(self):
        self.assertEqual(gls("glossary", "export", "--format", "pdf").returncode, 2)
        self.assertEqual(gls("glossary", "frobnicate").returncode, 2)


if __name__ == "__main__":
    unittest.main()
