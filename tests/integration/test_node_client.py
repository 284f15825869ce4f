"""The server driven by Node with the protocol libraries VS Code's language
client is built on (tests/editors/node-client/client.js: a full session
with pushed diagnostics, then a short one with pulled diagnostics, every
response checked against the LSP 3.17 types), and the VS Code
extension's settings checked against what the server reads
(editors/vscode/test/settings-test.js) and activated with the real
language client (editors/vscode/test/activate-test.js)."""

import json
import os
import shutil
import subprocess
import unittest
import zipfile

from lsp import BINARY, SLOW

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLIENT_DIR = os.path.join(REPO, "tests", "editors", "node-client")
EXTENSION_DIR = os.path.join(REPO, "editors", "vscode")
VSIX = os.path.join(REPO, "build", "glossary-ls.vsix")
HAVE_NODE = bool(shutil.which("node") and shutil.which("npm"))
NO_NODE = "node and npm are not installed (.ci/install-deps installs npm)"


def run(cmd, cwd, timeout, env=None):
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, timeout=timeout, capture_output=True,
                              stdin=subprocess.DEVNULL, text=True)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("%s timed out after %ds; stdout:\n%s\nstderr:\n%s"
                             % (" ".join(cmd), timeout, e.stdout, e.stderr))


def ensure_node_modules(directory, production_only=False):
    """npm ci when node_modules is missing or older than the lockfile."""
    lock = os.path.join(directory, "package-lock.json")
    # npm records what it installed in node_modules/.package-lock.json.
    stamp = os.path.join(directory, "node_modules", ".package-lock.json")
    if os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(lock):
        return
    cmd = ["npm", "ci", "--no-audit", "--no-fund"] + (["--omit=dev"] if production_only else [])
    r = run(cmd, directory, 600 * max(1, SLOW))
    assert r.returncode == 0, "npm ci in %s failed:\n%s%s" % (directory, r.stdout, r.stderr)


def last_json_line(text):
    lines = [l for l in text.splitlines() if l.startswith("{")]
    return json.loads(lines[-1]) if lines else None


@unittest.skipUnless(HAVE_NODE, NO_NODE)
class NodeClient(unittest.TestCase):
    def test_full_session_with_vscode_protocol_libraries(self):
        ensure_node_modules(CLIENT_DIR)
        env = dict(os.environ, GLS_BINARY=os.path.abspath(BINARY),
                   GLS_TIMEOUT_SCALE=str(SLOW))
        # GLS_WRAPPER (valgrind) comes through os.environ unchanged.
        r = run(["node", "client.js"], CLIENT_DIR, 180 * SLOW, env)
        result = last_json_line(r.stdout)
        self.assertEqual(r.returncode, 0, "client.js failed:\n%s%s" % (r.stdout, r.stderr))
        self.assertIsNotNone(result, "no JSON line from client.js:\n%s" % r.stdout)
        self.assertTrue(result["ok"], result)
        self.assertEqual(result["exitCode"], 0)
        self.assertGreaterEqual(result["responses"], 19)
        # The second session pulls diagnostics, as VS Code does.
        self.assertEqual(result["pull"]["exitCode"], 0)
        self.assertGreater(result["pull"]["items"], 0)
        for code in ("avoid-term", "undefined-acronym"):
            self.assertIn(code, result["diagnostics"])
        self.assertIn("Net Revenue Retention", result["hover"])
        self.assertEqual(result["completion"]["label"], "Net Revenue Retention")


@unittest.skipUnless(HAVE_NODE, NO_NODE)
class VSCodeExtension(unittest.TestCase):
    def test_contributed_settings_match_the_server(self):
        r = run(["node", os.path.join("test", "settings-test.js")], EXTENSION_DIR, 60)
        self.assertEqual(r.returncode, 0, "settings-test.js failed:\n%s%s" % (r.stdout, r.stderr))
        result = last_json_line(r.stdout)
        self.assertTrue(result and result["ok"], r.stdout)
        self.assertGreaterEqual(result["serverKeys"], 13)
        self.assertEqual(result["defaultsChecked"], result["serverKeys"])

    def test_activation_with_the_real_language_client(self):
        # vscode-languageclient from the extension's lockfile (the packaging
        # tools are not needed for this), the `vscode` module played by
        # test/fake-vscode.js, the real server behind it.
        ensure_node_modules(EXTENSION_DIR, production_only=True)
        env = dict(os.environ, GLS_BINARY=os.path.abspath(BINARY), GLS_TIMEOUT_SCALE=str(SLOW))
        r = run(["node", os.path.join("test", "activate-test.js")], EXTENSION_DIR, 180 * SLOW, env)
        self.assertEqual(r.returncode, 0, "activate-test.js failed:\n%s%s" % (r.stdout, r.stderr))
        result = last_json_line(r.stdout)
        self.assertTrue(result and result["ok"], r.stdout)
        self.assertEqual(result["settings"], {"rules": {"avoid-term": "error"}, "debounceMs": 40})
        self.assertIn("avoid-term", result["diagnostics"])
        self.assertEqual(result["serverExits"], 2)

    def test_vsix_contents(self):
        if not os.path.exists(VSIX):
            self.skipTest("build/glossary-ls.vsix not built (make vsix builds it)")
        sources = [os.path.join(EXTENSION_DIR, f) for f in
                   ("package.json", "package-lock.json", "extension.js",
                    "schemas/config.schema.json")]
        sources.append(os.path.join(REPO, "docs", "glossary.schema.json"))
        if os.path.getmtime(VSIX) < max(os.path.getmtime(f) for f in sources):
            self.skipTest("build/glossary-ls.vsix is older than its sources (run make vsix)")
        with zipfile.ZipFile(VSIX) as z:
            names = set(z.namelist())
            for f in ("extension/package.json", "extension/extension.js",
                      "extension/LICENSE.txt", "extension/README.md",
                      "extension/schemas/config.schema.json",
                      "extension/schemas/glossary.schema.json"):
                self.assertTrue(f in names, "%s missing from the vsix" % f)
            with open(os.path.join(REPO, "docs", "glossary.schema.json"), "rb") as f:
                self.assertEqual(z.read("extension/schemas/glossary.schema.json"), f.read())
            manifest = json.loads(z.read("extension/package.json"))
            self.assertEqual(manifest["main"], "./extension.js")
            for v in manifest["contributes"]["jsonValidation"]:
                self.assertTrue("extension/" + v["url"][2:] in names,
                                "%s (jsonValidation) missing from the vsix" % v["url"])
            # Every production package of the lockfile, and no dev one.
            with open(os.path.join(EXTENSION_DIR, "package-lock.json")) as f:
                lock = json.load(f)
            for where, info in lock["packages"].items():
                if not where:
                    continue
                present = "extension/%s/package.json" % where in names
                if info.get("dev"):
                    self.assertFalse(present, "dev package %s in the vsix" % where)
                else:
                    self.assertTrue(present, "%s missing from the vsix" % where)


if __name__ == "__main__":
    unittest.main()
