"""Real editors, headless, against the real binary: Neovim (Debian's) with
the plugin in editors/neovim, Emacs (Debian's, with eglot) with
editors/emacs/glossary-ls.el, and the Helix snippet parsed as TOML."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from lsp import BINARY, SLOW

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOC = ("Our NRR grew.\n"
       "The NPS score rose.\n"
       "We track net rev")


@unittest.skipUnless(shutil.which("nvim"), "Neovim is not installed (make check installs it)")
class Neovim(unittest.TestCase):
    def test_session(self):
        with tempfile.TemporaryDirectory() as d:
            doc = os.path.join(d, "notes.md")
            with open(doc, "w") as f:
                f.write(DOC)
            out = os.path.join(d, "out.json")
            env = dict(os.environ, GLS_REPO=REPO, GLS_BINARY=os.path.abspath(BINARY),
                       GLS_DOC=doc, GLS_OUT=out, XDG_CONFIG_HOME=os.path.join(d, "xdg"),
                       XDG_DATA_HOME=os.path.join(d, "data"), XDG_STATE_HOME=os.path.join(d, "st"))
            subprocess.run(["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-n",
                            "-c", "luafile " + os.path.join(REPO, "tests/editors/nvim_session.lua")],
                           env=env, timeout=60 * SLOW, capture_output=True, stdin=subprocess.DEVNULL)
            with open(out) as f:
                r = json.load(f)
        self.assertIsNone(r.get("error"), r.get("error"))
        self.assertEqual(r["filetype"], "markdown")
        self.assertTrue(r["attached"])
        self.assertTrue(r["ok"], r)
        codes = {d["code"] for d in r["diagnostics"]}
        self.assertIn("avoid-term", codes)
        self.assertIn("Net Revenue Retention", r["hover"])
        self.assertEqual(r["completion"], "Net Revenue Retention")
        self.assertEqual(r["line2"], "The NPS rose.")

    def test_lsp_config_file(self):
        """lsp/glossary_ls.lua (read by vim.lsp.config on 0.11+) loads and
        says what the plugin's setup() does."""
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "out.json")
            lua = ("local c = dofile(%r) "
                   "local f = io.open(%r, 'w') f:write(vim.fn.json_encode(c)) f:close()"
                   % (os.path.join(REPO, "editors/neovim/lsp/glossary_ls.lua"), out))
            subprocess.run(["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-n",
                            "-c", "lua " + lua, "-c", "qall!"],
                           env=dict(os.environ, XDG_CONFIG_HOME=d, XDG_DATA_HOME=d, XDG_STATE_HOME=d),
                           timeout=30 * SLOW, capture_output=True, stdin=subprocess.DEVNULL)
            with open(out) as f:
                c = json.load(f)
        self.assertEqual(c["cmd"], ["glossary-ls", "--stdio"])
        self.assertEqual(sorted(c["filetypes"]), ["markdown", "text"])
        self.assertIn(".glossary-ls.json", c["root_markers"])
        self.assertIn("glossaryLs", c["settings"])


@unittest.skipUnless(shutil.which("emacs"), "Emacs is not installed (make check installs emacs-nox, elpa-eglot)")
class Emacs(unittest.TestCase):
    """emacs --batch -Q runs tests/editors/emacs_session.el: eglot starts the
    server (under GLS_WRAPPER when set, so valgrind's exit status counts),
    Flymake gets the diagnostics, hover, completion and a quick fix go
    through eglot's own connection and commands."""

    def test_session(self):
        with tempfile.TemporaryDirectory() as d:
            doc = os.path.join(d, "notes.md")
            with open(doc, "w") as f:
                f.write(DOC)
            text_doc = os.path.join(d, "plain.txt")
            with open(text_doc, "w") as f:
                f.write("The NPS score rose.\n")
            out = os.path.join(d, "out.json")
            env = dict(os.environ, GLS_REPO=REPO, GLS_BINARY=os.path.abspath(BINARY),
                       GLS_DOC=doc, GLS_TEXT_DOC=text_doc, GLS_OUT=out, HOME=d,
                       GLS_TIMEOUT_SCALE=str(SLOW))
            proc = subprocess.run(["emacs", "--batch", "-Q", "-l",
                                   os.path.join(REPO, "tests/editors/emacs_session.el")],
                                  env=env, timeout=90 * SLOW, capture_output=True,
                                  stdin=subprocess.DEVNULL, cwd=d)
            self.assertTrue(os.path.exists(out), proc.stderr.decode(errors="replace")[-2000:])
            with open(out) as f:
                r = json.load(f)
        self.assertIsNone(r.get("error"), r.get("error"))
        if r["markdown_mode"]:
            self.assertEqual(r["mode"], "markdown-mode")
        else:
            self.assertEqual(r["mode"], "text-mode")
        self.assertTrue(r["attached"])
        self.assertEqual(r["language_id"], "markdown" if r["markdown_mode"] else "plaintext")
        self.assertTrue(r["flymake"])
        self.assertTrue(r["ok"], r)
        by_code = {d["code"]: d for d in r["diagnostics"]}
        self.assertIn("avoid-term", by_code)
        self.assertEqual(by_code["avoid-term"]["text"], "NPS score")
        self.assertEqual(by_code["avoid-term"]["line"], 2)
        # glossary-ls-settings, sent as initializationOptions, made it an error.
        self.assertEqual(by_code["avoid-term"]["type"], "eglot-error")
        self.assertIn("Net Revenue Retention", r.get("hover") or "", r)
        self.assertEqual(r["completion"], "Net Revenue Retention")
        self.assertEqual(r.get("capf_function"), "eglot-completion-at-point")
        self.assertEqual(r["capf_first"], "Net Revenue Retention")
        self.assertEqual(r["line3"], "We track Net Revenue Retention")
        self.assertEqual(r["action"], 'Replace with "NPS"')
        self.assertEqual(r["line2"], "The NPS rose.")
        # The .txt beside it: text-mode, sent as plain text, checked too.
        self.assertEqual(r["text_mode"], "text-mode")
        self.assertTrue(r["text_attached"])
        self.assertEqual(r["text_language_id"], "plaintext")
        self.assertIn("avoid-term", r["text_codes"])
        # Every server answered shutdown and exited by itself with status 0
        # (valgrind makes it 99 on an error or a definite leak).
        self.assertTrue(r["exits"])
        wrapper = os.environ.get("GLS_WRAPPER", "").split()
        for e in r["exits"]:
            self.assertEqual(e["command"], wrapper + [os.path.abspath(BINARY), "--stdio"])
            self.assertEqual((e["status"], e["code"]), ("exit", 0), e["stderr"])


class Helix(unittest.TestCase):
    def test_languages_toml(self):
        try:
            import tomllib
        except ImportError:
            self.skipTest("python3 has no tomllib (3.11+)")
        with open(os.path.join(REPO, "editors/helix/languages.toml"), "rb") as f:
            conf = tomllib.load(f)
        server = conf["language-server"]["glossary-ls"]
        self.assertEqual([server["command"]] + server["args"], ["glossary-ls", "--stdio"])
        langs = {lang["name"]: lang for lang in conf["language"]}
        for name in ("markdown", "text"):
            self.assertIn("glossary-ls", langs[name]["language-servers"], name)
        self.assertIn("txt", langs["text"]["file-types"])


if __name__ == "__main__":
    unittest.main()
