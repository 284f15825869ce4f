"""Workspace configuration over stdio: .glossary-ls.json at the root,
glossary files it names (confined to the workspace), user config, and a
broken glossary reported on the file itself while the previous glossary
keeps serving."""

import json
import os
import tempfile
import unittest

from lsp import Server, eventually


def uri(path):
    return "file://" + path


class Workspace(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, "xdg"))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def start(self, settings=None):
        s = Server(env=self.env)
        s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                              "capabilities": {"textDocument": {"diagnostic": {}}},
                              "initializationOptions": settings or {}})
        s.notify("initialized", {})
        return s

    def hover(self, s, doc_uri, line, ch):
        return s.call("textDocument/hover", {"textDocument": {"uri": doc_uri},
                                             "position": {"line": line, "character": ch}})

    def test_config_names_a_markdown_glossary(self):
        gl = self.write("docs/team-glossary.md",
                        "# Team glossary\n\n## Zebra Pipeline Tool (ZPT)\n\n"
                        "The internal tool that tracks renewals.\n")
        self.write(".glossary-ls.json", json.dumps({
            "glossaries": ["docs/team-glossary.md"],
            "rules": {"undefined-acronym": "error"}}))
        doc = uri(self.write("notes.md", "We use ZPT daily. The SPX is new.\n"))
        with self.start() as s:
            s.open(doc, "We use ZPT daily. The SPX is new.\n")
            h = self.hover(s, doc, 0, 8)
            self.assertIn("Zebra Pipeline Tool", h["contents"]["value"])
            self.assertIn(uri(gl), h["contents"]["value"])  # a link to the source
            items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
            und = [d for d in items if d["code"] == "undefined-acronym"]
            self.assertEqual(len(und), 1)
            self.assertEqual(und[0]["severity"], 1)  # the config made it an error
            s.shutdown_and_exit()

    def test_config_names_a_directory_and_a_glob(self):
        self.write("terms/a.json", json.dumps({"concepts": [
            {"term": "Alpha Pipeline Tool", "abbreviations": ["APT"], "definition": "One."}]}))
        self.write("terms/b.md", "# Terms\n\n## Bravo Queue Index (BQI)\n\nTwo.\n")
        self.write("terms/notes.rst", "Not a glossary format: skipped.\n")
        self.write("teams/sales/glossary.json", json.dumps({"concepts": [
            {"term": "Charlie Renewal Desk", "abbreviations": ["CRD"], "definition": "Three."}]}))
        outside = tempfile.TemporaryDirectory()
        self.addCleanup(outside.cleanup)
        with open(os.path.join(outside.name, "x.json"), "w") as f:
            json.dump({"concepts": [{"term": "Delta Escape Term", "abbreviations": ["DET"],
                                     "definition": "Must not load."}]}, f)
        os.makedirs(os.path.join(self.root, "teams", "evil"))
        os.symlink(os.path.join(outside.name, "x.json"),
                   os.path.join(self.root, "teams", "evil", "glossary.json"))
        self.write(".glossary-ls.json", json.dumps({
            "glossaries": ["terms", "teams/*/glossary.json", "nothing/*.md"]}))
        text = "APT, BQI and CRD; DET too.\n"
        doc = uri(self.write("notes.md", text))
        with self.start() as s:
            s.open(doc, text)
            for col, term in ((1, "Alpha Pipeline Tool"), (6, "Bravo Queue Index"),
                              (14, "Charlie Renewal Desk")):
                h = eventually(lambda c=col: self.hover(s, doc, 0, c))
                self.assertIn(term, h["contents"]["value"])
            self.assertIsNone(self.hover(s, doc, 0, 20))  # the symlink out is refused
            s.shutdown_and_exit()
        err = s.stderr.decode()
        self.assertIn("outside the workspace", err)
        self.assertIn("'nothing/*.md' names no glossary file", err)

    def test_workspace_config_cannot_escape(self):
        outside = tempfile.NamedTemporaryFile("w", suffix=".md", delete=False)
        outside.write("# X\n\n## Escaped Term (ESC)\n\nShould never load.\n")
        outside.close()
        try:
            os.symlink(outside.name, os.path.join(self.root, "link.md"))
            self.write(".glossary-ls.json", json.dumps({
                "glossaries": [outside.name, "../" + os.path.basename(outside.name), "link.md"]}))
            with self.start() as s:
                doc = uri(os.path.join(self.root, "a.md"))
                s.open(doc, "The ESC term.\n")
                self.assertIsNone(self.hover(s, doc, 0, 5))
                s.shutdown_and_exit()
                self.assertIn(b"outside the workspace", bytes(s.stderr))
        finally:
            os.unlink(outside.name)

    def test_editor_settings_may_name_any_path(self):
        with tempfile.TemporaryDirectory() as other:
            path = os.path.join(other, "g.json")
            with open(path, "w") as f:
                json.dump({"concepts": [{"term": "Orbit Score", "abbreviations": ["OBS"],
                                         "definition": "A made-up metric."}]}, f)
            with self.start({"glossaries": [path]}) as s:
                doc = uri(os.path.join(self.root, "a.md"))
                s.open(doc, "Our OBS rose.\n")
                self.assertIn("Orbit Score", self.hover(s, doc, 0, 5)["contents"]["value"])
                s.shutdown_and_exit()

    def test_user_config(self):
        self.write("xdg/glossary-ls/config.json", json.dumps({"rules": {"avoid-term": "off"}}))
        with self.start() as s:
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "Our NPS score rose.\n")
            items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
            self.assertFalse(any(d["code"] == "avoid-term" for d in items))
            s.shutdown_and_exit()

    def apply_file_edit(self, edit):
        """Applies a WorkspaceEdit to files the way an editor would."""
        if "documentChanges" in edit:
            for ch in edit["documentChanges"]:
                if ch.get("kind") == "create":
                    path = ch["uri"][len("file://"):]
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    open(path, "a").close()
                else:
                    path = ch["textDocument"]["uri"][len("file://"):]
                    with open(path, "w") as f:
                        f.write(ch["edits"][0]["newText"])
        else:
            for u, edits in edit["changes"].items():
                with open(u[len("file://"):], "w") as f:
                    f.write(edits[0]["newText"])  # a whole-file replacement

    def undefined(self, s, doc):
        items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
        return [d for d in items if d["code"] == "undefined-acronym"]

    def test_add_to_glossary_and_ignore_actions(self):
        caps = {"textDocument": {"diagnostic": {}},
                "workspace": {"workspaceEdit": {"documentChanges": True,
                                                "resourceOperations": ["create"]}}}
        s = Server(env=self.env)
        with s:
            s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                                  "capabilities": caps})
            s.notify("initialized", {})
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "The SPX rose, and so did the KQV.\n")
            und = self.undefined(s, doc)
            self.assertEqual(sorted(d["data"]["token"] for d in und), ["KQV", "SPX"])
            spx = [d for d in und if d["data"]["token"] == "SPX"][0]
            acts = s.call("textDocument/codeAction", {"textDocument": {"uri": doc},
                                                      "range": spx["range"],
                                                      "context": {"diagnostics": [spx]}})
            titles = [a["title"] for a in acts]
            self.assertIn("Add 'SPX' to the project glossary", titles)
            self.assertIn("Ignore 'SPX' in this workspace", titles)
            add = [a for a in acts if a["title"].startswith("Add")][0]
            self.assertEqual(add["edit"]["documentChanges"][0]["kind"], "create")
            self.assertFalse(os.path.exists(os.path.join(self.root, ".glossary-ls")),
                             "the server must not write files itself")
            self.apply_file_edit(add["edit"])
            kqv = [d for d in und if d["data"]["token"] == "KQV"][0]
            acts = s.call("textDocument/codeAction", {"textDocument": {"uri": doc},
                                                      "range": kqv["range"],
                                                      "context": {"diagnostics": [kqv]}})
            ign = [a for a in acts if a["title"].startswith("Ignore")][0]
            self.apply_file_edit(ign["edit"])
            with open(os.path.join(self.root, ".glossary-ls.json")) as f:
                self.assertEqual(json.load(f)["ignoredWords"], ["KQV"])
            # Settings reload picks both files up.
            s.notify("workspace/didChangeConfiguration", {"settings": {}})
            # The glossary reloads in the background.
            self.assertTrue(eventually(lambda: self.undefined(s, doc) == []),
                            self.undefined(s, doc))
            with open(os.path.join(self.root, ".glossary-ls/glossary.json")) as f:
                entry = json.load(f)["concepts"][0]
            self.assertEqual(entry["term"], "SPX")
            s.shutdown_and_exit()

    def test_user_glossary_directory(self):
        self.write("xdg/glossary-ls/glossary.md",
                   "# Mine\n\n## Quokka Index (QKI)\n\nA personal metric.\n")
        with self.start() as s:
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "The QKI rose.\n")
            self.assertIn("Quokka Index", self.hover(s, doc, 0, 5)["contents"]["value"])
            s.shutdown_and_exit()

    def test_broken_glossary_keeps_previous_and_is_reported(self):
        good = {"concepts": [{"term": "Orbit Score", "abbreviations": ["OBS"],
                              "definition": "A made-up metric."}]}
        path = self.write("g.json", json.dumps(good))
        s = Server(env=self.env)
        with s:
            s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                                  "capabilities": {"workspace": {"configuration": True}}})
            s.notify("initialized", {})
            req = s.server_request("workspace/configuration")
            s.reply(req["id"], [{"glossaries": [path]}])
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "Our OBS rose.\n")
            # The glossary the settings name loads in the background.
            h = eventually(lambda: self.hover(s, doc, 0, 5))
            self.assertIn("Orbit Score", h["contents"]["value"])
            # Break the file and tell the server the settings changed.
            self.write("g.json", '{"concepts": [ {"term": "Orbit Score", ]}')
            s.notify("workspace/didChangeConfiguration", {"settings": None})
            req = s.server_request("workspace/configuration")
            s.reply(req["id"], [{"glossaries": [path, path + ".again"]}])
            shown = s.notification("window/showMessage")
            self.assertIn("previous glossary", shown["params"]["message"])
            diag = s.notification("textDocument/publishDiagnostics",
                                  pred=lambda m: m["params"]["uri"] == uri(path))
            self.assertEqual(diag["params"]["diagnostics"][0]["code"], "glossary-syntax")
            self.assertEqual(diag["params"]["diagnostics"][0]["range"]["start"]["line"], 0)
            # The previous glossary still answers.
            self.assertIn("Orbit Score", self.hover(s, doc, 0, 5)["contents"]["value"])
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()


class Navigation(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, "xdg"))
        self.gl = os.path.join(self.root, "team.json")
        with open(self.gl, "w") as f:
            json.dump({"concepts": [
                {"id": "orbit", "term": "Orbit Score", "abbreviations": ["OBS"],
                 "definition": "A made-up metric."},
                {"id": "zeta", "term": "Zeta Review", "definition": "Another one."}]}, f,
                indent=2)
        with open(os.path.join(self.root, ".glossary-ls.json"), "w") as f:
            json.dump({"glossaries": ["team.json"]}, f)

    def tearDown(self):
        self.tmp.cleanup()

    def start(self, caps=None):
        s = Server(env=self.env)
        r = s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                                  "capabilities": caps or {}})
        s.notify("initialized", {})
        return s, r

    def test_definition_highlight_symbols(self):
        s, r = self.start()
        with s:
            for cap in ("definitionProvider", "documentHighlightProvider",
                        "documentSymbolProvider", "workspaceSymbolProvider"):
                self.assertTrue(r["capabilities"][cap])
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "The OBS rose. Orbit Score matters. The NRR too.\n")
            loc = s.call("textDocument/definition", {"textDocument": {"uri": doc},
                                                     "position": {"line": 0, "character": 5}})
            self.assertEqual(loc["uri"], uri(self.gl))
            self.assertEqual(loc["range"]["start"]["line"], 2)
            # A built-in concept goes to the shipped glossary source.
            loc = s.call("textDocument/definition", {"textDocument": {"uri": doc},
                                                     "position": {"line": 0, "character": 40}})
            self.assertTrue(loc["uri"].endswith("cs-glossary.json"))
            with open(loc["uri"][len("file://"):]) as f:
                line = f.read().split("\n")[loc["range"]["start"]["line"]]
            self.assertIn("{", line)
            hl = s.call("textDocument/documentHighlight", {"textDocument": {"uri": doc},
                                                           "position": {"line": 0, "character": 5}})
            self.assertEqual([h["range"]["start"]["character"] for h in hl], [4, 14])
            syms = s.call("textDocument/documentSymbol", {"textDocument": {"uri": uri(self.gl)}})
            self.assertEqual([x["name"] for x in syms], ["Orbit Score", "Zeta Review"])
            ws = s.call("workspace/symbol", {"query": "orbit"})
            self.assertEqual(ws[0]["name"], "Orbit Score")
            self.assertEqual(ws[0]["location"]["uri"], uri(self.gl))
            ws = s.call("workspace/symbol", {"query": "net revenue"})
            self.assertTrue(any(x["name"] == "Net Revenue Retention" for x in ws))
            s.shutdown_and_exit()

    def edit_glossary(self, new_term):
        with open(self.gl) as f:
            data = json.load(f)
        data["concepts"][0]["term"] = new_term
        tmp = self.gl + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, self.gl)  # the way many editors save

    def hover_title(self, s, doc):
        h = s.call("textDocument/hover", {"textDocument": {"uri": doc},
                                          "position": {"line": 0, "character": 5}})
        return h["contents"]["value"].split("\n")[0] if h else None

    def test_live_reload_by_watching_ourselves(self):
        import time
        s, _ = self.start()
        with s:
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "The OBS rose.\n")
            self.assertIn("Orbit Score", self.hover_title(s, doc))
            start = time.monotonic()
            self.edit_glossary("Orbital Score")
            while time.monotonic() - start < 5:
                if "Orbital Score" in (self.hover_title(s, doc) or ""):
                    break
                time.sleep(0.02)
            elapsed = time.monotonic() - start
            self.assertIn("Orbital Score", self.hover_title(s, doc))
            self.assertLess(elapsed, 2.0)
            s.shutdown_and_exit()

    def test_glossary_that_vanishes_or_is_truncated_mid_reload(self):
        """Fault injection on the file system: the glossary is deleted, then
        written back in two halves with a pause between (a reload may read
        the first half). Every hover meanwhile answers from a whole glossary
        (the previous one), and the complete file is served at the end."""
        import time
        s, _ = self.start()
        with s:
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "The OBS rose.\n")
            self.assertIn("Orbit Score", self.hover_title(s, doc))
            with open(self.gl) as f:
                data = json.load(f)
            os.unlink(self.gl)
            shown = s.notification("window/showMessage", timeout=10)
            self.assertIn("previous glossary", shown["params"]["message"])
            self.assertIn("Orbit Score", self.hover_title(s, doc))
            data["concepts"][0]["term"] = "Orbital Score"
            text = json.dumps(data, indent=2)
            with open(self.gl, "w") as f:
                f.write(text[:len(text) // 2])
                f.flush()
                deadline = time.monotonic() + 0.6
                while time.monotonic() < deadline:  # a reload may run now
                    self.assertIn("Orbit Score", self.hover_title(s, doc))
                    time.sleep(0.05)
                f.write(text[len(text) // 2:])
            deadline = time.monotonic() + 10
            titles = set()
            while time.monotonic() < deadline:
                t = self.hover_title(s, doc)
                titles.add(t)
                if "Orbital Score" in (t or ""):
                    break
                time.sleep(0.05)
            self.assertIn("Orbital Score", self.hover_title(s, doc))
            # Never an answer from a half-read or missing glossary.
            self.assertTrue(all(t and "Orbit" in t for t in titles), titles)
            s.shutdown_and_exit()

    def test_live_reload_through_the_client(self):
        caps = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
        s, _ = self.start(caps)
        with s:
            reg = s.server_request("client/registerCapability")
            watchers = reg["params"]["registrations"][0]["registerOptions"]["watchers"]
            self.assertIn(self.gl, [w["globPattern"] for w in watchers])
            s.reply(reg["id"], None)
            doc = uri(os.path.join(self.root, "a.md"))
            s.open(doc, "The OBS rose.\n")
            self.edit_glossary("Orbital Score")
            s.notify("workspace/didChangeWatchedFiles",
                     {"changes": [{"uri": uri(self.gl), "type": 2}]})
            import time
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and \
                    "Orbital Score" not in (self.hover_title(s, doc) or ""):
                time.sleep(0.02)
            self.assertIn("Orbital Score", self.hover_title(s, doc))
            # A broken save keeps the previous glossary serving.
            with open(self.gl, "w") as f:
                f.write("{ broken")
            s.notify("workspace/didChangeWatchedFiles",
                     {"changes": [{"uri": uri(self.gl), "type": 2}]})
            shown = s.notification("window/showMessage")
            self.assertIn("previous glossary", shown["params"]["message"])
            self.assertIn("Orbital Score", self.hover_title(s, doc))
            s.shutdown_and_exit()
