"""Nearest configuration wins in the server, as in check: a document is
checked with the .glossary-ls.json nearest above it within its workspace
folder - its glossaries and its rule severities - and a further workspace
folder's own configuration serves the documents in it."""

import json
import os
import tempfile
import time
import unittest

from lsp import Server, eventually


def uri(path):
    return "file://" + path


class NearestConfig(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, "xdg"))
        self.write("glossary.json", {"concepts": [
            {"term": "Root Pipeline Tool", "abbreviations": ["RPT"], "definition": "Root's."}]})
        self.write(".glossary-ls.json", {"glossaries": ["glossary.json"]})
        self.write("apps/billing/terms.json", {"concepts": [
            {"term": "Billing Ledger Unit", "abbreviations": ["BLU"], "definition": "Billing's."}]})
        self.write("apps/billing/.glossary-ls.json", {
            "glossaries": ["terms.json"], "rules": {"undefined-acronym": "error"}})

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, obj):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(obj, f) if not isinstance(obj, str) else f.write(obj)
        return path

    def start(self, folders=None):
        s = Server(env=self.env)
        params = {"processId": None, "rootUri": uri(self.root),
                  "capabilities": {"textDocument": {"diagnostic": {}},
                                   "workspace": {"workspaceFolders": True}}}
        if folders:
            params["workspaceFolders"] = [{"uri": uri(f), "name": os.path.basename(f)}
                                          for f in folders]
        s.call("initialize", params)
        s.notify("initialized", {})
        return s

    def hover(self, s, doc, ch):
        h = s.call("textDocument/hover", {"textDocument": {"uri": doc},
                                          "position": {"line": 0, "character": ch}})
        return h["contents"]["value"] if h else None

    def diagnostics(self, s, doc):
        return s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]

    def test_each_document_uses_the_nearest_config(self):
        text = "RPT and BLU and QZX.\n"
        top = uri(os.path.join(self.root, "notes.md"))
        sub = uri(os.path.join(self.root, "apps", "billing", "docs", "guide.md"))
        with self.start() as s:
            s.open(top, text)
            s.open(sub, text)
            # The root's document: the root's glossary only.
            self.assertIn("Root Pipeline Tool", eventually(lambda: self.hover(s, top, 1)))
            self.assertIsNone(self.hover(s, top, 9))
            # The billing document: billing's glossary (loaded in the
            # background) and billing's rule severities.
            self.assertIn("Billing Ledger Unit", eventually(lambda: self.hover(s, sub, 9)))
            self.assertIsNone(self.hover(s, sub, 1))
            # Completion offers the project's terms, and resolving an item
            # documents it from the project's glossary.
            s.change(sub, 2, [{"range": {"start": {"line": 0, "character": 21},
                                         "end": {"line": 0, "character": 21}}, "text": " Billi"}])
            items = s.call("textDocument/completion", {"textDocument": {"uri": sub},
                                                      "position": {"line": 0, "character": 26}})
            items = items["items"] if isinstance(items, dict) else items
            billing = [i for i in items if i["label"] == "Billing Ledger Unit"]
            self.assertTrue(billing, [i["label"] for i in items])
            done = s.call("completionItem/resolve", billing[0])
            self.assertIn("Billing's.", done["documentation"]["value"])
            s.change(sub, 3, [{"range": {"start": {"line": 0, "character": 21},
                                         "end": {"line": 0, "character": 27}}, "text": ""}])
            und = {d["message"].split('"')[1]: d["severity"] for d in self.diagnostics(s, sub)
                   if d["code"] == "undefined-acronym"}
            self.assertEqual(und, {"RPT": 1, "QZX": 1})  # error, as billing's config says
            und = {d["message"].split('"')[1]: d["severity"] for d in self.diagnostics(s, top)
                   if d["code"] == "undefined-acronym"}
            self.assertEqual(und, {"BLU": 3, "QZX": 3})  # the default (information)
            # Editing the nearer config is picked up (a watched file).
            cfg = self.write("apps/billing/.glossary-ls.json", {
                "glossaries": ["terms.json"], "rules": {"undefined-acronym": "off"}})
            s.notify("workspace/didChangeWatchedFiles",
                     {"changes": [{"uri": uri(cfg), "type": 2}]})
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(
                    d["code"] == "undefined-acronym" for d in self.diagnostics(s, sub)):
                time.sleep(0.05)
            self.assertFalse(any(d["code"] == "undefined-acronym"
                                 for d in self.diagnostics(s, sub)))
            self.assertIn("Billing Ledger Unit", eventually(lambda: self.hover(s, sub, 9)))
            s.shutdown_and_exit()

    def test_second_workspace_folder_has_its_own_config(self):
        other = os.path.join(self.root, "..", os.path.basename(self.root) + "-other")
        other = os.path.realpath(other)
        os.makedirs(other, exist_ok=True)
        self.addCleanup(lambda: __import__("shutil").rmtree(other, ignore_errors=True))
        with open(os.path.join(other, "g.json"), "w") as f:
            json.dump({"concepts": [{"term": "Other Folder Term", "abbreviations": ["OFT"],
                                     "definition": "The other folder's."}]}, f)
        with open(os.path.join(other, ".glossary-ls.json"), "w") as f:
            json.dump({"glossaries": ["g.json"]}, f)
        doc = uri(os.path.join(other, "a.md"))
        with self.start([self.root, other]) as s:
            s.open(doc, "OFT and RPT.\n")
            self.assertIn("Other Folder Term", eventually(lambda: self.hover(s, doc, 1)))
            self.assertIsNone(self.hover(s, doc, 9))
            s.shutdown_and_exit()

    def test_a_nearer_config_cannot_escape_its_workspace(self):
        outside = tempfile.TemporaryDirectory()
        self.addCleanup(outside.cleanup)
        with open(os.path.join(outside.name, "x.json"), "w") as f:
            json.dump({"concepts": [{"term": "Escaped Term", "abbreviations": ["ESX"],
                                     "definition": "Must not load."}]}, f)
        self.write("apps/evil/.glossary-ls.json",
                   {"glossaries": [os.path.join(outside.name, "x.json")]})
        doc = uri(os.path.join(self.root, "apps", "evil", "a.md"))
        with self.start() as s:
            s.open(doc, "ESX here.\n")
            time.sleep(0.3)
            self.assertIsNone(self.hover(s, doc, 1))
            s.shutdown_and_exit()
        self.assertIn(b"outside the workspace", bytes(s.stderr))


if __name__ == "__main__":
    unittest.main()
