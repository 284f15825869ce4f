"""The glossary cache through the real binary: `check` and the server
write it for a large glossary and read it back with the same answers; an
edited glossary is never answered from a stale cache; a damaged cache file
is replaced; --no-cache and GLOSSARY_LS_CACHE=off write nothing."""

import glob
import json
import os
import subprocess
import tempfile
import time
import unittest

from lsp import BINARY, Server, SLOW


def big_glossary(extra_avoid=None):
    concepts = [{"id": "c%d" % i, "term": "Cached Concept %d" % i,
                 "abbreviations": ["CC%dX" % i], "definition": "Made-up concept %d." % i}
                for i in range(2600)]
    if extra_avoid:
        concepts[12]["avoid"] = [{"term": extra_avoid, "use": "Cached Concept 12"}]
    text = json.dumps({"concepts": concepts})
    assert len(text) > 256 * 1024, len(text)  # the smallest glossary worth caching
    return text


DOC = ("# Notes\n\nThe Cached Concept 12 (CC12X) moved. Later CC12X and CC7X held, "
       "and the team said old twelve.\n")


class CacheTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.cache = os.path.join(self.dir, "cache")
        self.glossary = os.path.join(self.dir, "team.json")
        self.doc = os.path.join(self.dir, "doc.md")
        with open(self.doc, "w") as f:
            f.write(DOC)
        self.write_glossary(big_glossary(), 120)

    def tearDown(self):
        self.tmp.cleanup()

    def write_glossary(self, text, seconds_back):
        with open(self.glossary, "w") as f:
            f.write(text)
        # A file modified in the last two seconds is never cached.
        t = time.time() - seconds_back
        os.utime(self.glossary, (t, t))

    def check(self, *extra, cache=None):
        env = dict(os.environ, GLOSSARY_LS_CACHE=cache if cache is not None else self.cache)
        r = subprocess.run([BINARY, "check", "--format", "json", "--no-builtin", "--glossary",
                            self.glossary] + list(extra) + [self.doc], capture_output=True,
                           text=True, env=env, timeout=60 * SLOW)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return json.loads(r.stdout)

    def cache_files(self):
        return glob.glob(os.path.join(self.cache, "*.glc"))

    def test_check_writes_then_reads_the_same_answers(self):
        first = self.check()
        files = self.cache_files()
        self.assertEqual(len(files), 1)
        self.assertEqual(os.stat(files[0]).st_mode & 0o777, 0o600)
        stamp = os.stat(files[0]).st_mtime_ns
        second = self.check()
        self.assertEqual(first, second)
        self.assertEqual(os.stat(files[0]).st_mtime_ns, stamp, "a current cache is not rewritten")
        self.assertIn("Cached Concept 7 (CC7X)", json.dumps(first))

    def test_an_edited_glossary_is_not_answered_from_the_cache(self):
        before = self.check()
        self.assertNotIn("avoid-term", json.dumps(before))
        self.write_glossary(big_glossary("old twelve"), 60)
        after = self.check()
        self.assertIn("avoid-term", json.dumps(after))
        self.assertIn("old twelve", json.dumps(after))
        # ... and the new cache answers the same the next time.
        self.assertEqual(self.check(), after)

    def test_a_damaged_cache_is_replaced(self):
        good = self.check()
        (path,) = self.cache_files()
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            f.truncate(size // 2)
        self.assertEqual(self.check(), good)
        self.assertEqual(os.path.getsize(path), size)
        with open(path, "wb") as f:
            f.write(b"GLSCACH1" + b"\xff" * 1000)
        self.assertEqual(self.check(), good)
        self.assertEqual(os.path.getsize(path), size)

    def test_no_cache_and_off_write_nothing(self):
        self.check("--no-cache")
        self.assertEqual(self.cache_files(), [])
        self.check(cache="off")
        self.assertEqual(self.cache_files(), [])
        self.assertFalse(os.path.exists(self.cache))

    def test_server_answers_from_the_cache(self):
        env = dict(os.environ, GLOSSARY_LS_CACHE=self.cache)
        uri = "file://" + self.doc
        stamps = []
        for round_ in range(2):
            s = Server(env=env)
            s.call("initialize", {"processId": None, "rootUri": None, "capabilities": {},
                                  "initializationOptions": {"glossaries": [self.glossary]}},
                   timeout=60 * SLOW)
            s.notify("initialized", {})
            s.open(uri, DOC)
            r = s.call("textDocument/hover", {"textDocument": {"uri": uri},
                                              "position": {"line": 2, "character": 6}})
            self.assertIsNotNone(r, "round %d" % round_)
            self.assertIn("Made-up concept 12", json.dumps(r))
            s.shutdown_and_exit()
            self.assertEqual(len(self.cache_files()), 1, "round %d" % round_)
            stamps.append(os.stat(self.cache_files()[0]).st_mtime_ns)
        self.assertEqual(stamps[0], stamps[1], "the second server should read, not rewrite")


if __name__ == "__main__":
    unittest.main()
