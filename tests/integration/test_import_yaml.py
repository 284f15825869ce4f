"""YAML vocabularies of other tools as glossary sources: prh rule files
(with their specs run at load, imports, ignoreRules, regexpMustEmpty),
Contextive glossaries and Vale rules (substitution, existence). Located
errors for malformed files; the server serving them, and a broken save
keeping the previous glossary serving. prh's own findings are compared in
test_import_differential.py."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from lsp import BINARY, TIMEOUT, Server, eventually

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.normpath(os.path.join(HERE, "..", "importers"))
ENV = dict(os.environ, XDG_CONFIG_HOME="/nonexistent")


def uri(path):
    return "file://" + path


def lint(rel):
    r = subprocess.run([BINARY, "glossary", "lint", os.path.join(FIX, rel)], capture_output=True,
                       text=True, timeout=TIMEOUT, env=ENV)
    return r.returncode, [l for l in r.stdout.splitlines() if ": error: " in l or ": warning: " in l]


def check(glossaries, text):
    args = [BINARY, "check", "--format", "json", "--no-builtin"]
    for g in glossaries:
        args += ["--glossary", os.path.join(FIX, g)]
    r = subprocess.run(args + ["-"], input=text, capture_output=True, text=True, timeout=TIMEOUT,
                       env=ENV)
    return [(f["line"], f["column"], f["rule"], (f.get("fix") or {}).get("replacement"))
            for f in json.loads(r.stdout)] if r.stdout.strip() else []


class LocatedErrors(unittest.TestCase):
    def test_malformed_files(self):
        cases = {
            "prh/bad-indent.yml": ("bad-indent.yml:3:4: error:", "glossary-syntax"),
            "prh/bad-regex.yml": ("bad-regex.yml:3:14: error:", "glossary-bad-pattern"),
            "prh/bad-spec.yml": ("bad-spec.yml:7:9: error:", "prh-spec-failed"),
            "prh/alias-bomb.yml": ("alias-bomb.yml:1:4: error:", "glossary-syntax"),
            "contextive/bad.glossary.yml": ("bad.glossary.yml:5:6: error:", "glossary-syntax"),
        }
        for rel, (where, code) in cases.items():
            rc, msgs = lint(rel)
            self.assertEqual(rc, 1, rel)
            errors = [m for m in msgs if ": error: " in m]
            self.assertEqual(len(errors), 1, (rel, msgs))
            self.assertIn(where, errors[0])
            self.assertIn("[%s]" % code, errors[0])

    def test_failing_spec_drops_only_its_rule(self):
        found = check(["prh/bad-spec.yml"], "The renewel and we utilize it.\n")
        self.assertEqual(found, [(1, 5, "avoid-term", "renewal")])

    def test_unsupported_vale_rule_is_a_warning(self):
        rc, msgs = lint("vale/styles/Acme/Length.yml")
        self.assertEqual(rc, 0)
        self.assertIn("[glossary-not-imported]", msgs[0])


class Findings(unittest.TestCase):
    def test_prh_imports_ignore_rules_and_must_empty(self):
        text = ("The On-Boarding list and the client list.\n"
                "Ask the customer success rep, not the Customer Success Repository.\n")
        self.assertEqual(check(["prh/prh.yml"], text), [
            (1, 5, "avoid-term", "onboarding"),                 # from the import
            (2, 9, "avoid-term", "Customer Success Manager")])  # "client" rule ignored

    def test_vale_substitution_and_existence(self):
        text = ("Call my Cell Phone or email me; we utilise e-mail, sort of.\n"
                "A Kind Of plan.\n")
        found = check(["vale/styles/Acme/Terms.yml", "vale/styles/Acme/Hedging.yml"], text)
        self.assertEqual(found, [(1, 9, "avoid-term", "Mobile phone"),
                                 (1, 36, "avoid-term", "use"),
                                 (1, 44, "avoid-term", "email"),
                                 (1, 52, "avoid-term", None)])  # "Kind Of": case-sensitive


class Served(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, "xdg"))
        shutil.copytree(os.path.join(FIX, "prh"), os.path.join(self.root, "prh"))
        shutil.copytree(os.path.join(FIX, "contextive"), os.path.join(self.root, "ctx"))
        os.unlink(os.path.join(self.root, "ctx", "bad.glossary.yml"))
        with open(os.path.join(self.root, ".glossary-ls.json"), "w") as f:
            json.dump({"glossaries": ["prh/prh.yml", "ctx/cs.glossary.yml"]}, f)

    def tearDown(self):
        self.tmp.cleanup()

    def test_contextive_hover_prh_fix_and_broken_save(self):
        doc = uri(os.path.join(self.root, "a.md"))
        s = Server(env=self.env)
        with s:
            s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                                  "capabilities": {"textDocument": {"diagnostic": {}}}})
            s.notify("initialized", {})
            s.open(doc, "The renewal projection for each Account; we utilize it.\n")
            h = eventually(lambda: s.call("textDocument/hover", {
                "textDocument": {"uri": doc}, "position": {"line": 0, "character": 8}}))
            v = h["contents"]["value"]
            self.assertIn("Renewal Forecast", v)
            self.assertIn("renewal dropped after", v.replace("forecast ", ""))
            self.assertIn("Renewals", v)
            acc = s.call("textDocument/hover", {"textDocument": {"uri": doc},
                                                "position": {"line": 0, "character": 34}})
            # One concept, its meaning in each context.
            self.assertIn("customer organisation", acc["contents"]["value"])
            self.assertIn("open tickets", acc["contents"]["value"])
            items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
            fixes = [d for d in items if d["code"] == "avoid-term"]
            self.assertEqual(len(fixes), 1, items)
            self.assertEqual(fixes[0]["data"]["replacement"], "use")
            # A save that breaks a spec: error on the file, previous glossary serves.
            rules = os.path.join(self.root, "prh", "prh.yml")
            with open(rules, "a") as f:
                f.write("  - expected: renewal\n    pattern: renewel\n    specs:\n"
                        "      - from: a renewel\n        to: a renewals\n")
            s.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(rules), "type": 2}]})
            shown = s.notification("window/showMessage", timeout=10)
            self.assertIn("previous glossary", shown["params"]["message"])
            pub = s.notification("textDocument/publishDiagnostics",
                                 pred=lambda m: m["params"]["uri"] == uri(rules))
            self.assertEqual(pub["params"]["diagnostics"][0]["code"], "prh-spec-failed")
            items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
            self.assertEqual(len([d for d in items if d["code"] == "avoid-term"]), 1)
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()
