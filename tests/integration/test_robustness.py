"""Hostile documents: deep nesting, huge single lines, markup soup. The
server must keep answering."""

import time
import unittest

from lsp import SLOW, Server

URI = "file:///tmp/hostile.md"


class Hostile(unittest.TestCase):
    def check_serves(self, text, needle="NRR"):
        with Server() as s:
            s.initialize(capabilities={"textDocument": {"diagnostic": {}}})
            s.open(URI, text)
            rep = s.call("textDocument/diagnostic", {"textDocument": {"uri": URI}},
                         timeout=60 * SLOW)
            self.assertEqual(rep["kind"], "full")
            line = text.count("\n", 0, text.index(needle))
            col = len(text[text.rfind("\n", 0, text.index(needle)) + 1:text.index(needle)])
            h = s.call("textDocument/hover", {"textDocument": {"uri": URI},
                                              "position": {"line": line, "character": col + 1}},
                       timeout=60 * SLOW)
            self.assertIsNotNone(h)
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_deep_block_quotes(self):
        # tree-sitter-markdown crashes past ~255 open blocks; the server
        # reads such a document as plain text instead of dying.
        self.check_serves("> " * 400 + "deep NRR here\n")

    def test_deep_lists(self):
        self.check_serves("".join("  " * i + "- item\n" for i in range(300)) + "NRR end\n")

    def test_edit_that_nests_too_deep(self):
        with Server() as s:
            s.initialize(capabilities={"textDocument": {"diagnostic": {}}})
            s.open(URI, "Start NRR\n")
            s.change(URI, 2, [{"range": {"start": {"line": 0, "character": 0},
                                         "end": {"line": 0, "character": 0}},
                               "text": "- " * 400}])
            rep = s.call("textDocument/diagnostic", {"textDocument": {"uri": URI}})
            self.assertEqual(rep["kind"], "full")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_one_megabyte_single_line(self):
        self.check_serves("word " * 200000 + "NRR")

    def test_markup_soup(self):
        self.check_serves("*_`[]<>!\\&~$" * 20000 + "\n\nThe NRR rose.\n")

    def test_large_document_stays_responsive(self):
        text = ("The CSM reviews Net Revenue Retention with the customer each QBR.\n\n" * 15000)
        with Server() as s:
            s.initialize()
            s.open(URI, text)
            start = time.monotonic()
            st = s.call("glossaryLs/status", timeout=60 * SLOW)
            self.assertEqual(st["state"], "running")
            self.assertLess(time.monotonic() - start, 30 * SLOW)
            self.assertEqual(s.shutdown_and_exit(), 0)


if __name__ == "__main__":
    unittest.main()
