"""Real editors, headless, against the real binary: Neovim (Debian's) with
the plugin in editors/neovim."""

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


if __name__ == "__main__":
    unittest.main()
