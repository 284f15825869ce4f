"""Vocabularies of other tools as glossary sources: Vale accept.txt /
reject.txt, textlint-rule-terminology lists, cspell configurations and
word lists. Located errors for malformed files; the server serving them
from a workspace config (hover, diagnostics, quick fixes), and a broken
save keeping the previous glossary serving."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from lsp import BINARY, TIMEOUT, Server, eventually

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.normpath(os.path.join(HERE, "..", "importers"))


def uri(path):
    return "file://" + path


def glossary_cli(*args):
    return subprocess.run([BINARY, "glossary"] + list(args), capture_output=True, text=True,
                          timeout=TIMEOUT, env=dict(os.environ, XDG_CONFIG_HOME="/nonexistent"))


def check(glossaries, text, builtin=False):
    args = [BINARY, "check", "--format", "json"] + ([] if builtin else ["--no-builtin"])
    for g in glossaries:
        args += ["--glossary", g]
    r = subprocess.run(args + ["-"], input=text, capture_output=True, text=True,
                       timeout=TIMEOUT, env=dict(os.environ, XDG_CONFIG_HOME="/nonexistent"))
    return r, (json.loads(r.stdout) if r.stdout.strip() else [])


class LocatedErrors(unittest.TestCase):
    def lint(self, rel):
        r = glossary_cli("lint", os.path.join(FIX, rel))
        return r.returncode, [l for l in r.stdout.splitlines() if ": error: " in l]

    def test_vale_invalid_regex_is_located(self):
        rc, errors = self.lint("vale/broken/accept.txt")
        self.assertEqual(rc, 1)
        self.assertEqual(len(errors), 1, errors)
        # Line 3, the column of the unclosed group's end in "[Oo]nboard(ing".
        self.assertIn("accept.txt:3:15: error:", errors[0])
        self.assertIn("[glossary-bad-pattern]", errors[0])

    def test_textlint_malformed_entries_are_located(self):
        rc, errors = self.lint("textlint/broken.json")
        self.assertEqual(rc, 1)
        self.assertEqual([e.split(": error:")[0].rsplit(":", 2)[1:] for e in errors],
                         [["3", "3"], ["4", "24"], ["5", "3"]])
        self.assertIn("[glossary-bad-pattern]", errors[1])
        rc, errors = self.lint("textlint/syntax.json")
        self.assertEqual(rc, 1)
        self.assertIn("syntax.json:4:1: error:", errors[0])
        self.assertIn("[glossary-syntax]", errors[0])

    def test_cspell_dictionary_confined_to_its_folder(self):
        rc, errors = self.lint("cspell/escape.json")
        self.assertEqual(rc, 1)
        self.assertTrue(any("outside the configuration's folder" in e for e in errors), errors)
        self.assertTrue(any("needs a 'path'" in e for e in errors), errors)
        self.assertTrue(any("'flagWords' must be an array" in e for e in errors), errors)

    def test_clean_files_have_no_errors(self):
        for rel in ("vale/styles/config/vocabularies/Acme/accept.txt",
                    "vale/styles/config/vocabularies/Acme/reject.txt",
                    "textlint/terms.jsonc", "cspell/cspell.json"):
            rc, errors = self.lint(rel)
            self.assertEqual((rc, errors), (0, []), rel)


class Findings(unittest.TestCase):
    def test_textlint_list_with_comments(self):
        r, found = check([os.path.join(FIX, "textlint/terms.jsonc")],
                         "We use gainsight. Health-scores fell and the health score model "
                         "is new.\nWe utilized it, so net dollar retention rose.\n")
        got = [(f["line"], f["column"], f.get("fix", {}).get("replacement")) for f in found]
        self.assertEqual(got, [(1, 8, "Gainsight"), (1, 19, "Health scores"), (2, 4, "used"),
                               (2, 20, "net revenue retention")])

    def test_cspell_words_flag_words_and_dictionaries(self):
        text = ("The QBR, ZPTX and QWRK are known; QXRZ is not.\n"
                "Teh kewl onboardee will stakeholderize it; our NDR rose.\n")
        r, found = check([os.path.join(FIX, "cspell/cspell.json")], text)
        got = [(f["line"], f["column"], f["rule"], (f.get("fix") or {}).get("replacement"))
               for f in found]
        self.assertEqual(got, [
            (1, 35, "undefined-acronym", None),            # QXRZ: in no word list
            (2, 1, "avoid-term", "The"),                    # teh->the, case kept
            (2, 5, "avoid-term", None),                     # kewl
            (2, 10, "avoid-term", None),                    # !onboardee in a word list
            (2, 25, "avoid-term", "engage"),                # a flag-words dictionary
            (2, 48, "avoid-term", "NRR")])

    def test_later_vocabulary_overrides_an_admitted_form(self):
        # The built-in glossary admits NDR for Net Revenue Retention; a team's
        # cspell flagWords NDR->NRR makes it a form to avoid.
        r, found = check([os.path.join(FIX, "cspell/cspell.json")],
                         "Net Revenue Retention (NRR) rose; NDR too.\n", builtin=True)
        avoid = [f for f in found if f["rule"] == "avoid-term"]
        self.assertEqual(len(avoid), 1, found)
        self.assertEqual(avoid[0]["column"], 35)
        self.assertEqual(avoid[0]["fix"]["replacement"], "NRR")

    def test_vale_vocabulary_directory(self):
        vocab = os.path.join(FIX, "vale/styles/config/vocabularies/Acme")
        text = ("Gainsight, gainsight and TOTANGO; Onboarding, onboarding, ONBOARDING; "
                "churnzero.\nOur Customer Success Rep found the happy path and the Happy Path, "
                "with synergy.\n")
        r, found = check([os.path.join(vocab, "accept.txt"), os.path.join(vocab, "reject.txt")],
                         text)
        got = [(f["line"], f["column"], f["rule"]) for f in found]
        self.assertEqual(got, [(1, 12, "acronym-case"), (1, 26, "acronym-case"),
                               (1, 59, "avoid-term"),
                               (2, 5, "avoid-term"), (2, 36, "avoid-term"),
                               (2, 72, "avoid-term")])


class Served(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, "xdg"))
        shutil.copytree(os.path.join(FIX, "vale", "styles"), os.path.join(self.root, "styles"))
        shutil.copytree(os.path.join(FIX, "textlint"), os.path.join(self.root, "textlint"))
        shutil.copytree(os.path.join(FIX, "cspell"), os.path.join(self.root, "cspell"))
        with open(os.path.join(self.root, ".glossary-ls.json"), "w") as f:
            json.dump({"glossaries": ["styles/config/vocabularies/Acme", "textlint/terms.jsonc",
                                      "cspell/cspell.json"]}, f)

    def tearDown(self):
        self.tmp.cleanup()

    def test_hover_diagnostics_fix_and_broken_save(self):
        text = "Gainsight helps. We utilized ZPTX for the QBR.\n"
        doc = uri(os.path.join(self.root, "a.md"))
        s = Server(env=self.env)
        with s:
            s.call("initialize", {"processId": None, "rootUri": uri(self.root),
                                  "capabilities": {"textDocument": {"diagnostic": {}}}})
            s.notify("initialized", {})
            s.open(doc, text)
            h = eventually(lambda: s.call("textDocument/hover", {
                "textDocument": {"uri": doc}, "position": {"line": 0, "character": 3}}))
            self.assertIn("Gainsight", h["contents"]["value"])
            self.assertIn("Vale vocabulary Acme", h["contents"]["value"])
            self.assertIn("accept.txt", h["contents"]["value"])
            items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
            codes = sorted(d["code"] for d in items)
            # ZPTX is a cspell word: not undefined. The QBR is the built-in
            # glossary's, which asks for its expansion on first use.
            self.assertEqual(codes, ["avoid-term", "expand-on-first-use"], items)
            d = [d for d in items if d["code"] == "avoid-term"][0]
            self.assertEqual(d["range"]["start"], {"line": 0, "character": 20})
            acts = s.call("textDocument/codeAction", {
                "textDocument": {"uri": doc}, "range": d["range"],
                "context": {"diagnostics": [d]}})
            fix = [a for a in acts if a.get("isPreferred")][0]
            edit = fix["edit"]["changes"][doc][0]
            self.assertEqual(edit["newText"], "used")
            # A broken save of the textlint list: the error is published on
            # the file, the previous glossary keeps serving.
            terms = os.path.join(self.root, "textlint", "terms.jsonc")
            with open(terms, "w") as f:
                f.write('[\n  "Gainsight",\n  ["utiliz(e|ed", "use"]\n]\n')
            s.notify("workspace/didChangeWatchedFiles",
                     {"changes": [{"uri": uri(terms), "type": 2}]})
            shown = s.notification("window/showMessage", timeout=10)
            self.assertIn("previous glossary", shown["params"]["message"])
            pub = s.notification("textDocument/publishDiagnostics",
                                 pred=lambda m: m["params"]["uri"] == uri(terms))
            bad = pub["params"]["diagnostics"][0]
            self.assertEqual(bad["code"], "glossary-bad-pattern")
            self.assertEqual(bad["range"]["start"]["line"], 2)
            items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
            self.assertEqual(sorted(d["code"] for d in items), codes)
            s.shutdown_and_exit()

    def test_word_list_of_a_cspell_config_is_watched(self):
        # The dictionary acme-words.txt is read through cspell.json, not named
        # in the settings: it is watched all the same, and a change reloads.
        words = os.path.join(self.root, "cspell", "acme-words.txt")
        doc = uri(os.path.join(self.root, "b.md"))
        text = "The QWRK and the BLRG.\n"
        s = Server(env=self.env)
        with s:
            s.call("initialize", {"processId": None, "rootUri": uri(self.root), "capabilities": {
                "textDocument": {"diagnostic": {}},
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}})
            s.notify("initialized", {})
            globs = set()
            for _ in range(3):  # once for the settings' files, again with the loaded glossary's
                reg = s.server_request("client/registerCapability")
                s.reply(reg["id"], None)
                globs = {w["globPattern"] for w in
                         reg["params"]["registrations"][0]["registerOptions"]["watchers"]}
                if words in globs:
                    break
            self.assertIn(words, globs)
            s.open(doc, text)

            def undefined():
                items = s.call("textDocument/diagnostic", {"textDocument": {"uri": doc}})["items"]
                return sorted(d["message"].split('"')[1] for d in items
                              if d["code"] == "undefined-acronym")
            self.assertEqual(eventually(lambda: undefined() or None), ["BLRG"])
            with open(words, "a") as f:
                f.write("BLRG\n")
            s.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(words), "type": 2}]})
            import time
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and undefined():
                time.sleep(0.05)
            self.assertEqual(undefined(), [])
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()
