"""The check command: formats, exit codes, --fix, --shard, .gitignore and
excludes, stdin, configuration, errors; and explain."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from lsp import BINARY, TIMEOUT

SARIF_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sarif")

BAD = "Our GRR of 112% is wrong, and the NPS score rose.\n"
GOOD = "Plain words only.\n"


def run(args, cwd=None, stdin=None, env=None):
    e = dict(os.environ, XDG_CONFIG_HOME="/nonexistent", **(env or {}))
    return subprocess.run([BINARY, "check"] + args, cwd=cwd, input=stdin, capture_output=True,
                          text=True, timeout=TIMEOUT, env=e)


class Check(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        p = os.path.join(self.d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p

    def test_text_format_and_exit_codes(self):
        self.write("bad.md", BAD)
        self.write("good.md", GOOD)
        r = run(["bad.md"], cwd=self.d)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stdout, r"(?m)^bad\.md:1:5: warning: .*\[metric-misuse\]$")
        self.assertEqual(run(["good.md"], cwd=self.d).returncode, 0)
        self.assertEqual(run(["--fail-on", "error", "bad.md"], cwd=self.d).returncode, 0)
        self.assertEqual(run(["--rule", "metric-misuse=error", "--fail-on", "error", "bad.md"],
                             cwd=self.d).returncode, 1)

    def test_usage_and_io_errors_exit_2(self):
        for args in ([], ["--format", "xml", "x.md"], ["--rule", "nope=error", "x.md"],
                     ["--rule", "avoid-term=loud", "x.md"], ["--shard", "3/2", "x.md"],
                     ["--bogus", "x.md"]):
            r = run(args, cwd=self.d)
            self.assertEqual(r.returncode, 2, args)
            self.assertTrue(r.stderr)
        r = run(["missing.md"], cwd=self.d)
        self.assertEqual(r.returncode, 2)
        self.assertIn("missing.md", r.stderr)
        self.write("ok.md", GOOD)
        r = run(["--glossary", "nope.json", "ok.md"], cwd=self.d)
        self.assertEqual(r.returncode, 2)

    @unittest.skipUnless(shutil.which("node") and shutil.which("npm"),
                         "node and npm are not installed (.ci/install-deps installs npm)")
    def test_sarif_is_valid_against_the_schema(self):
        from test_node_client import ensure_node_modules
        ensure_node_modules(SARIF_DIR)
        self.write("docs/bad.md", BAD + "\nThe XQZR team and the CLV and CLTV split.\n")
        self.write("docs/ok.md", GOOD)
        self.write("weird name (1).md", "Our Nps fell.\n")
        out = os.path.join(self.d, "out.sarif")
        with open(out, "w") as f:
            f.write(run(["--format", "sarif", "."], cwd=self.d).stdout)
        r = subprocess.run(["node", os.path.join(SARIF_DIR, "validate.js"), out],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"valid SARIF 2\.1\.0: 1 run\(s\), [5-9] result")
        # No findings is valid SARIF too.
        with open(out, "w") as f:
            f.write(run(["--format", "sarif", "docs/ok.md"], cwd=self.d).stdout)
        r = subprocess.run(["node", os.path.join(SARIF_DIR, "validate.js"), out],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_file_types_choose_what_a_directory_walk_reads(self):
        self.write("docs/a.md", BAD)
        self.write("docs/b.rst", BAD)
        self.write("docs/c.adoc", BAD)
        r = run(["--format", "json", "docs"], cwd=self.d)
        self.assertEqual({x["file"] for x in json.loads(r.stdout)}, {"docs/a.md"})
        self.write(".glossary-ls.json", json.dumps({"fileTypes": [".rst", "adoc"]}))
        r = run(["--format", "json", "docs"], cwd=self.d)
        self.assertEqual({x["file"] for x in json.loads(r.stdout)}, {"docs/b.rst", "docs/c.adoc"})
        # A file named on the command line is checked whatever its type.
        r = run(["--format", "json", "docs/a.md"], cwd=self.d)
        self.assertEqual({x["file"] for x in json.loads(r.stdout)}, {"docs/a.md"})

    def test_nearest_config_wins(self):
        """A monorepo: the root config and one per project below it. Each
        file is checked with the config nearest to it, whose glossary and
        rules it gets, and each config file is loaded once."""
        self.write(".glossary-ls.json", json.dumps({"rules": {"undefined-acronym": "error"}}))
        self.write("sales/.glossary-ls.json", json.dumps({
            "glossaries": ["terms.json"], "rules": {"avoid-term": "off"}}))
        self.write("sales/terms.json", json.dumps({"concepts": [
            {"term": "Quota Pace Rate", "abbreviations": ["QPR"], "definition": "Sales."}]}))
        self.write("support/.glossary-ls.json", json.dumps({"glossaries": ["terms.md"]}))
        self.write("support/terms.md", "# Terms\n\n## Queue Pressure Ratio (QPR)\n\nSupport.\n")
        text = "Our QPR and the NPS score and ZZTX.\n"
        for d in ("", "sales/", "support/", "sales/deep/er/"):
            self.write(d + "doc.md", text)
        r = run(["--format", "json", "."], cwd=self.d)
        by_file = {}
        for x in json.loads(r.stdout):
            f = x["file"][2:] if x["file"].startswith("./") else x["file"]
            by_file.setdefault(f, set()).add((x["rule"], x["severity"]))
        root = by_file["doc.md"]
        self.assertIn(("undefined-acronym", "error"), root)        # QPR unknown at the root
        self.assertIn(("avoid-term", "warning"), root)
        for f in ("sales/doc.md", "sales/deep/er/doc.md"):
            rules = {r for r, _ in by_file[f]}
            self.assertNotIn("avoid-term", rules)                  # off in sales
            self.assertIn(("undefined-acronym", "info"), by_file[f])  # ZZTX; root rules not inherited
            self.assertIn("expand-on-first-use", rules)            # QPR known from sales' glossary
        self.assertIn(("avoid-term", "warning"), by_file["support/doc.md"])
        r = run(["--format", "json", "support/doc.md", "sales/doc.md"], cwd=self.d)
        msgs = {x["file"]: x["message"] for x in json.loads(r.stdout)
                if x["rule"] == "expand-on-first-use"}
        self.assertIn("Queue Pressure Ratio", msgs["support/doc.md"])
        self.assertIn("Quota Pace Rate", msgs["sales/doc.md"])
        # --config applies one config to every file.
        r = run(["--format", "json", "--config", os.path.join(self.d, ".glossary-ls.json"),
                 "sales/doc.md"], cwd=self.d)
        self.assertIn("avoid-term", {x["rule"] for x in json.loads(r.stdout)})

    def test_json_github_sarif(self):
        self.write("bad.md", BAD)
        j = json.loads(run(["--format", "json", "bad.md"], cwd=self.d).stdout)
        self.assertEqual({x["rule"] for x in j} >= {"metric-misuse", "avoid-term"}, True)
        avoid = [x for x in j if x["rule"] == "avoid-term"][0]
        self.assertEqual(avoid["fix"]["replacement"], "NPS")
        gh = run(["--format", "github", "bad.md"], cwd=self.d).stdout
        self.assertRegex(gh, r"::warning file=bad\.md,line=1,col=\d+,endLine=1,endColumn=\d+,"
                             r"title=avoid-term::")
        sarif = json.loads(run(["--format", "sarif", "bad.md"], cwd=self.d).stdout)
        self.assertEqual(sarif["version"], "2.1.0")
        run0 = sarif["runs"][0]
        self.assertEqual(run0["tool"]["driver"]["name"], "glossary-ls")
        ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
        for res in run0["results"]:
            self.assertEqual(ids[res["ruleIndex"]], res["ruleId"])
            loc = res["locations"][0]["physicalLocation"]
            self.assertEqual(loc["artifactLocation"]["uri"], "bad.md")
            self.assertGreaterEqual(loc["region"]["startColumn"], 1)
            self.assertIn(res["level"], ("error", "warning", "note"))

    def test_fix_in_place(self):
        p = self.write("bad.md", "Our NPS score rose. Exec sponsors agree.\n")
        before = os.stat(p).st_mode
        r = run(["--fix", "bad.md"], cwd=self.d)
        with open(p) as f:
            self.assertEqual(f.read(), "Our NPS rose. Executive sponsors agree.\n")
        self.assertEqual(os.stat(p).st_mode, before)
        self.assertIn("applied 2 fixes", r.stderr)
        self.assertEqual([n for n in os.listdir(self.d) if "glossary-ls." in n], [])
        self.assertEqual(run(["bad.md"], cwd=self.d).returncode, 0)

    def test_directories_gitignore_excludes_and_shards(self):
        for i in range(12):
            self.write("docs/p%02d.md" % i, BAD)
        self.write("docs/build/gen.md", BAD)
        self.write("docs/.hidden/x.md", BAD)
        self.write("docs/notes.txt", BAD)
        self.write("docs/skip-me.md", BAD)
        self.write("docs/code.py", BAD)
        self.write("docs/.gitignore", "build/\n")
        self.write(".glossary-ls.json", json.dumps({"exclude": ["docs/skip-*.md"]}))
        files = {x["file"] for x in json.loads(
            run(["--format", "json", "docs"], cwd=self.d).stdout)}
        want = {"docs/p%02d.md" % i for i in range(12)} | {"docs/notes.txt"}
        self.assertEqual(files, want)
        seen = []
        for k in (1, 2, 3):
            out = json.loads(run(["--format", "json", "--shard", "%d/3" % k, "docs"],
                                 cwd=self.d).stdout)
            seen.extend(sorted({x["file"] for x in out}))
        self.assertEqual(sorted(seen), sorted(want))  # each file in exactly one shard

    def test_jobs_give_the_same_output_in_the_same_order(self):
        # Enough files, of uneven sizes, that pool threads finish out of
        # order; the output must still follow the walk's sorted order.
        for i in range(150):
            text = (BAD * (1 + (i * 37) % 60)) if i % 3 else GOOD
            self.write("docs/d%d/p%03d.md" % (i % 7, i), text)
        self.write("docs/one/fix.md", "Our NPS score rose.\n")
        os.makedirs(os.path.join(self.d, "docs/locked"))
        self.write("docs/locked/x.md", BAD)
        locked = os.path.join(self.d, "docs/locked")
        os.chmod(locked, 0)
        try:
            unreadable = not os.access(locked, os.R_OK)  # root reads anything
            runs = {}
            for jobs in ("1", "2", "8"):
                for fmt in ("text", "json", "sarif", "github"):
                    r = run(["--jobs", jobs, "--format", fmt, "docs"], cwd=self.d)
                    runs[(jobs, fmt)] = (r.returncode, r.stdout, r.stderr)
        finally:
            os.chmod(locked, 0o755)
        for fmt in ("text", "json", "sarif", "github"):
            self.assertEqual(runs[("1", fmt)], runs[("2", fmt)], fmt)
            self.assertEqual(runs[("1", fmt)], runs[("8", fmt)], fmt)
        code, out, err = runs[("1", "text")]
        files = [line.split(":")[0] for line in out.splitlines()]
        self.assertEqual(files, sorted(files))
        self.assertEqual(len(set(files)), 100 + 1 + (0 if unreadable else 1))
        if unreadable:
            self.assertEqual(code, 2)
            self.assertIn("docs/locked", err)
        else:
            self.assertEqual(code, 1)
        # --fix on the pool writes each file once.
        r = run(["--jobs", "4", "--fix", "docs/one"], cwd=self.d)
        self.assertIn("applied 1 fix", r.stderr)
        with open(os.path.join(self.d, "docs/one/fix.md")) as f:
            self.assertEqual(f.read(), "Our NPS rose.\n")
        for bad in ("0", "x", "2000"):
            self.assertEqual(run(["--jobs", bad, "docs"], cwd=self.d).returncode, 2)

    def test_stdin_and_config(self):
        r = run(["-"], stdin=BAD)
        self.assertEqual(r.returncode, 1)
        self.assertIn("-:1:5:", r.stdout)
        cfg = self.write("cfg.json", json.dumps({"rules": {"metric-misuse": "off",
                                                           "avoid-term": "off"}}))
        r = run(["--config", cfg, "-"], stdin=BAD)
        self.assertNotIn("metric-misuse", r.stdout)
        self.assertNotIn("avoid-term", r.stdout)
        broken = self.write("broken.json", "{")
        self.assertEqual(run(["--config", broken, "-"], stdin=GOOD).returncode, 2)

    def test_explain(self):
        r = subprocess.run([BINARY, "explain", "NRR"], capture_output=True, text=True,
                           timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0)
        self.assertIn("Net Revenue Retention (NRR)", r.stdout)
        r = subprocess.run([BINARY, "explain", "no", "such", "term"], capture_output=True,
                           text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 1)


if __name__ == "__main__":
    unittest.main()
