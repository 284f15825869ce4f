"""TBX termbases as glossary sources (server/load_tbx.c) and
`glossary-ls glossary import`: the three TBX layouts we read, located
errors for malformed and hostile files (an external entity, an entity
bomb, a DTD on the network, which must never be fetched), the findings a
termbase gives, live reload keeping the previous glossary serving, and
the round trip export -> import -> export giving the same file."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from lsp import BINARY, TIMEOUT, Server, eventually

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.normpath(os.path.join(HERE, "..", "importers", "tbx"))
ENV = dict(os.environ, XDG_CONFIG_HOME="/nonexistent")


def gls(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, text=True,
                          timeout=TIMEOUT, env=ENV)


def check(glossary, text):
    r = gls("check", "--format", "json", "--no-builtin", "--glossary", glossary, "-", stdin=text)
    return [(f["line"], f["column"], f["rule"], (f.get("fix") or {}).get("replacement"))
            for f in json.loads(r.stdout)] if r.stdout.strip() else []


def uri(path):
    return "file://" + path


class Listener:
    """A TCP port on localhost that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except socket.timeout:
                pass

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


class LocatedErrors(unittest.TestCase):
    def lint(self, path):
        r = gls("glossary", "lint", path)
        return r.returncode, [l for l in r.stdout.splitlines() if ": error: " in l]

    def test_malformed_and_hostile_files(self):
        cases = {
            "xxe.tbx": ("xxe.tbx:4:48: error:", "tbx-entity"),
            "bomb.tbx": ("bomb.tbx:4:18: error:", "tbx-entity"),
            "broken.tbx": ("broken.tbx:6:46: error:", "tbx-syntax"),
        }
        for name, (where, code) in cases.items():
            start = time.monotonic()
            rc, errors = self.lint(os.path.join(FIX, name))
            self.assertLess(time.monotonic() - start, 5, name)
            self.assertEqual(rc, 1, name)
            self.assertEqual(len(errors), 1, (name, errors))
            self.assertIn(where, errors[0])
            self.assertIn("[%s]" % code, errors[0])

    def test_external_entity_never_read(self):
        with tempfile.TemporaryDirectory() as d:
            secret = os.path.join(d, "secret.txt")
            with open(secret, "w") as f:
                f.write("TOPSECRETVALUE\n")
            with open(os.path.join(FIX, "xxe.tbx")) as f:
                text = f.read().replace("file:///etc/hostname", "file://" + secret)
            path = os.path.join(d, "xxe.tbx")
            with open(path, "w") as f:
                f.write(text)
            for args in (["glossary", "lint", path], ["glossary", "import", path],
                         ["glossary", "import", path, "--to", "tbx"]):
                r = gls(*args)
                self.assertNotIn("TOPSECRETVALUE", r.stdout + r.stderr)
                self.assertIn("tbx-entity", r.stdout + r.stderr)
            r = gls("check", "--no-builtin", "--glossary", path, "-", stdin="leak\n")
            self.assertNotIn("TOPSECRETVALUE", r.stdout + r.stderr)

    def test_network_never_contacted(self):
        listener = Listener()
        try:
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(FIX, "network.tbx")) as f:
                    text = f.read().replace("47613", str(listener.port))
                dtd = os.path.join(d, "dtd.tbx")
                with open(dtd, "w") as f:
                    f.write(text)
                # An external DTD: not fetched, and the file loads.
                r = gls("glossary", "lint", dtd)
                self.assertEqual(r.returncode, 0, r.stdout)
                self.assertIn("1 concepts, 0 errors", r.stdout)
                # An external entity on the network: refused, not fetched.
                ent = os.path.join(d, "ent.tbx")
                with open(ent, "w") as f:
                    f.write(text.replace(
                        '<!DOCTYPE tbx SYSTEM "http://127.0.0.1:%d/tbx.dtd">' % listener.port,
                        '<!DOCTYPE tbx [<!ENTITY e SYSTEM "http://127.0.0.1:%d/e">]>'
                        % listener.port).replace("another contract term.", "&e;"))
                r = gls("glossary", "lint", ent)
                self.assertEqual(r.returncode, 1)
                self.assertIn("[tbx-entity]", r.stdout)
            time.sleep(0.3)
            self.assertEqual(listener.connections, 0)
        finally:
            listener.close()

    def test_not_a_termbase(self):
        with tempfile.TemporaryDirectory() as d:
            for name, text, want in (("empty.tbx", "", "empty"),
                                     ("page.tbx", "<?xml version='1.0'?>\n<html/>", "root element"),
                                     ("junk.tbx", "not xml", "'<' not found")):
                path = os.path.join(d, name)
                with open(path, "w") as f:
                    f.write(text)
                rc, errors = self.lint(path)
                self.assertEqual(rc, 1)
                self.assertIn(":1:", errors[0])
                self.assertIn(want, errors[0])


class Findings(unittest.TestCase):
    DOC = ("Our net dollar retention rose; NDR is the old name for NRR.\n"
           "Customer loss and attrition were low.\n")

    def test_statuses_map_to_rules(self):
        found = check(os.path.join(FIX, "cs.tbx"), self.DOC)
        self.assertEqual(found, [
            (1, 5, "avoid-term", "net revenue retention"),  # deprecated
            (1, 32, "avoid-term", "NRR"),                    # superseded, "Use instead" note
            (1, 56, "expand-on-first-use", "net revenue retention (NRR)"),
            (2, 1, "avoid-term", "Churn")])                  # deprecated, sentence start

    def test_tbx_2008_and_dct_layouts(self):
        found = check(os.path.join(FIX, "martif.tbx"), "A good happiness score.\n")
        self.assertEqual(found, [(1, 8, "avoid-term", "customer satisfaction score")])
        found = check(os.path.join(FIX, "dct.tbx"), "Cut time-to-benefit.\n")
        self.assertEqual(found, [(1, 5, "avoid-term", "time to value")])

    def test_import_reads_english_and_dedents(self):
        r = gls("glossary", "import", os.path.join(FIX, "cs.tbx"))
        self.assertEqual(r.returncode, 0, r.stderr)
        concepts = {c["id"]: c for c in json.loads(r.stdout)["concepts"]}
        nrr = concepts["c-nrr"]
        self.assertEqual(nrr["term"], "net revenue retention")  # en-US, not de
        self.assertEqual(nrr["abbreviations"], ["NRR"])
        self.assertEqual(nrr["avoid"], [{"term": "net dollar retention"},
                                        {"term": "NDR", "use": "NRR", "why": "superseded term"}])
        self.assertEqual(nrr["seeAlso"], ["c-churn"])
        self.assertTrue(nrr["definition"].startswith("Recurring revenue kept"))
        self.assertIn("period,\ncounting", nrr["definition"])
        self.assertEqual(concepts["c-churn"]["aliases"], ["attrition"])
        # A definition given on the term itself.
        self.assertTrue(concepts["c-qbr"]["definition"].startswith("A meeting each quarter"))


class Import(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_builtin_round_trip(self):
        r = gls("glossary", "export", "--format", "tbx")
        self.assertEqual(r.returncode, 0)
        exported = r.stdout
        a = self.write("a.tbx", exported)
        again = gls("glossary", "import", a, "--to", "tbx")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout, exported)
        self.assertEqual(gls("glossary", "export", "--no-builtin", "--glossary", a, "--format",
                             "tbx").stdout, exported)
        # Through the native format and back.
        j = self.write("a.json", gls("glossary", "import", a).stdout)
        self.assertEqual(gls("glossary", "import", j, "--to", "tbx").stdout, exported)
        # The concepts, as the JSON export sees them, lose only the facts
        # TBX-Basic has no place for (and stderr says so).
        self.assertIn("metric facts", r.stderr)
        orig = json.loads(gls("glossary", "export").stdout)["concepts"]
        back = json.loads(gls("glossary", "import", a).stdout)["concepts"]
        for c in orig:
            c.pop("facts", None)
        self.assertEqual(orig, back)

    def test_third_party_file_is_stable_after_one_import(self):
        first = gls("glossary", "import", os.path.join(FIX, "cs.tbx"), "--to", "tbx").stdout
        p = self.write("first.tbx", first)
        self.assertEqual(gls("glossary", "import", p, "--to", "tbx").stdout, first)

    def test_to_markdown_keeps_the_terms(self):
        md = gls("glossary", "import", os.path.join(FIX, "cs.tbx"), "--to", "markdown").stdout
        p = self.write("cs.md", md)
        back = json.loads(gls("glossary", "import", p).stdout)["concepts"]
        self.assertEqual({c["term"] for c in back},
                         {"net revenue retention", "churn", "quarterly business review"})
        nrr = [c for c in back if c["term"] == "net revenue retention"][0]
        self.assertEqual(nrr.get("abbreviations"), ["NRR"])

    def test_other_vocabularies_convert(self):
        prh = os.path.join(HERE, "..", "importers", "prh", "prh.yml")
        r = gls("glossary", "import", prh, "--to", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        j = json.loads(r.stdout)
        self.assertTrue(j["patterns"])
        p = self.write("prh.json", r.stdout)
        self.assertEqual(gls("glossary", "import", p).stdout, r.stdout)
        r = gls("glossary", "import", prh, "--to", "markdown")
        self.assertIn("no place for patterns", r.stderr)

    def test_format_from_content_and_from_flag(self):
        with open(os.path.join(FIX, "martif.tbx")) as f:
            text = f.read()
        xml = self.write("terms.xml", text)
        self.assertEqual(json.loads(gls("glossary", "import", xml).stdout)["concepts"][0]["id"],
                         "te-csat")
        odd = self.write("terms.data", text)
        r = gls("glossary", "import", odd, "--from", "tbx")
        self.assertEqual(json.loads(r.stdout)["concepts"][0]["id"], "te-csat")

    def test_errors_write_nothing(self):
        r = gls("glossary", "import", os.path.join(FIX, "broken.tbx"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("broken.tbx:6:46: error:", r.stderr)
        self.assertIn("nothing written", r.stderr)

    def test_bad_usage(self):
        self.assertEqual(gls("glossary", "import").returncode, 2)
        self.assertEqual(gls("glossary", "import", "x.tbx", "--to", "pdf").returncode, 2)
        self.assertEqual(gls("glossary", "import", "x.tbx", "--from", "docx").returncode, 2)
        r = gls("glossary", "import", os.path.join(self.dir, "missing.tbx"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("No such file", r.stderr)


class Served(unittest.TestCase):
    def test_hover_then_hostile_save_keeps_previous_glossary(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.realpath(tmp)
            env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(root, "xdg"))
            tbx = os.path.join(root, "terms.tbx")
            shutil.copy(os.path.join(FIX, "cs.tbx"), tbx)
            with open(os.path.join(root, ".glossary-ls.json"), "w") as f:
                json.dump({"glossaries": ["terms.tbx"], "builtinGlossary": False}, f)
            doc = uri(os.path.join(root, "a.md"))
            s = Server(env=env)
            with s:
                s.call("initialize", {"processId": None, "rootUri": uri(root),
                                      "capabilities": {"textDocument": {"diagnostic": {}}}})
                s.notify("initialized", {})
                s.open(doc, "Our NRR rose, unlike our net dollar retention.\n")

                def hover():
                    h = s.call("textDocument/hover", {"textDocument": {"uri": doc},
                                                      "position": {"line": 0, "character": 5}})
                    return h if h and "contraction and lost accounts" in h["contents"]["value"] else None

                eventually(hover)
                items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
                self.assertEqual([d["code"] for d in items if d["code"] == "avoid-term"],
                                 ["avoid-term"])
                shutil.copy(os.path.join(FIX, "xxe.tbx"), tbx)
                s.notify("workspace/didChangeWatchedFiles",
                         {"changes": [{"uri": uri(tbx), "type": 2}]})
                shown = s.notification("window/showMessage", timeout=10)
                self.assertIn("previous glossary", shown["params"]["message"])
                pub = s.notification("textDocument/publishDiagnostics",
                                     pred=lambda m: m["params"]["uri"] == uri(tbx))
                d0 = pub["params"]["diagnostics"][0]
                self.assertEqual(d0["code"], "tbx-entity")
                self.assertEqual(d0["range"]["start"], {"line": 3, "character": 47})
                self.assertTrue(hover())
                s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()
