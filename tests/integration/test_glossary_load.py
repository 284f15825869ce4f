"""The glossary loads on the libuv thread pool: initialize is answered at
once; requests that come before the first glossary is in service wait for
it (none is answered without a glossary); a reload leaves the previous
glossary serving until the new one is swapped in."""

import json
import os
import tempfile
import time
import unittest

from lsp import SLOW, TIMEOUT, Server, eventually

# Big enough that loading takes a while (about half a second for 20,000
# concepts in an optimized build); smaller under valgrind.
CONCEPTS = 20000 if SLOW <= 3 else 2000


def synthetic(path, n, prefix):
    concepts = [{"id": "%s-%d" % (prefix.lower(), i), "term": "%s Gadget Measure %d" % (prefix, i),
                 "abbreviations": ["%sG%dQ" % (prefix[0], i)], "definition": "Made up %d." % i}
                for i in range(n)]
    with open(path, "w") as f:
        json.dump({"concepts": concepts}, f)


class GlossaryLoad(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, "xdg"))
        self.first = os.path.join(self.root, "first.json")
        self.second = os.path.join(self.root, "second.json")
        synthetic(self.first, CONCEPTS, "Alpha")
        synthetic(self.second, CONCEPTS, "Beta")

    def tearDown(self):
        self.tmp.cleanup()

    def hover(self, s, doc, ch):
        return s.call("textDocument/hover", {"textDocument": {"uri": doc},
                                             "position": {"line": 0, "character": ch}},
                      timeout=60 * SLOW)

    def test_requests_before_the_first_load_wait_for_it(self):
        s = Server(env=self.env)
        with s:
            t0 = time.monotonic()
            s.call("initialize", {"processId": None, "rootUri": None, "capabilities": {},
                                  "initializationOptions": {"glossaries": [self.first]}},
                   timeout=60 * SLOW)
            answered = time.monotonic() - t0
            s.notify("initialized", {})
            doc = "file:///notes.md"
            last = CONCEPTS - 1
            s.open(doc, "The AG%dQ rose, and NRR too.\n" % last)
            # Sent right away, answered with the glossary in service.
            h = self.hover(s, doc, 5)
            self.assertIsNotNone(h)
            self.assertIn("Alpha Gadget Measure %d" % last, h["contents"]["value"])
            ready = time.monotonic() - t0
            # Honest figures for the log; the benchmark measures them.
            print("\n  initialize answered in %.1f ms, first hover in %.1f ms (%d concepts)"
                  % (answered * 1e3, ready * 1e3, CONCEPTS))
            s.shutdown_and_exit()

    def test_reload_keeps_the_previous_glossary_serving(self):
        s = Server(env=self.env)
        with s:
            s.call("initialize", {"processId": None, "rootUri": None, "capabilities": {},
                                  "initializationOptions": {"glossaries": [self.first]}},
                   timeout=60 * SLOW)
            s.notify("initialized", {})
            doc = "file:///notes.md"
            s.open(doc, "The AG1Q rose. The BG1Q fell.\n")
            self.assertIn("Alpha", self.hover(s, doc, 5)["contents"]["value"])
            s.notify("workspace/didChangeConfiguration",
                     {"settings": {"glossaryLs": {"glossaries": [self.second]}}})
            status = s.call("glossaryLs/status")
            if status["glossaryLoading"]:
                # Answered while the new glossary loads: from the old one.
                self.assertIn("Alpha", self.hover(s, doc, 5)["contents"]["value"])
            elif SLOW <= 3:
                self.fail("a %d-concept glossary loaded before the next request was read"
                          % CONCEPTS)
            self.assertTrue(eventually(lambda: not s.call("glossaryLs/status")["glossaryLoading"],
                                       timeout=60 * SLOW))
            h = self.hover(s, doc, 19)
            self.assertIn("Beta Gadget Measure 1", h["contents"]["value"])
            self.assertIsNone(self.hover(s, doc, 5))  # the first glossary is gone
            # Diagnostics were published again for the open document.
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()
