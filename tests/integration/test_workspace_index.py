"""The workspace index over stdio: a workspace of thousands of documents
indexed in the background with work-done progress, cancelled on request,
capped by a setting, never following a symbolic link out of the
workspace, kept current from watched-file events, and serving
textDocument/references and completion ranking."""

import os
import tempfile
import time
import unittest

from lsp import SLOW, TIMEOUT, Server

# Under valgrind (GLS_TIMEOUT_SCALE=10) a tenth of the documents: the
# behaviour is the same, only the count differs.
MANY = 5000 if SLOW <= 3 else 500


def uri(path):
    return "file://" + path


PLAIN = "Plain notes about the week.\n\nNothing to see here but words.\n"
WITH_NRR = "The NRR moved this quarter.\n\nWe review NRR with the champion.\n"


class WorkspaceIndex(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.realpath(self.tmp.name)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.root, ".xdg"))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text, root=None):
        path = os.path.join(root or self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def many(self, n, with_nrr_every=100):
        nrr = []
        for i in range(n):
            rel = "docs/d%02d/note-%05d.md" % (i % 50, i)
            text = WITH_NRR if i % with_nrr_every == 0 else PLAIN
            path = self.write(rel, text)
            if text is WITH_NRR:
                nrr.append(path)
        return nrr

    def start(self, progress=True, settings=None, folders=None):
        s = Server(env=self.env)
        caps = {"window": {"workDoneProgress": progress}}
        params = {"processId": None, "rootUri": uri(self.root), "capabilities": caps,
                  "initializationOptions": settings or {}}
        if folders is not None:
            params["workspaceFolders"] = [{"uri": uri(f), "name": os.path.basename(f)}
                                          for f in folders]
        result = s.call("initialize", params)
        self.assertTrue(result["capabilities"]["referencesProvider"])
        s.notify("initialized", {})
        return s

    def progress_to_end(self, s, answer_create=True, on_begin=None):
        """Answers window/workDoneProgress/create, collects $/progress
        values until 'end'; returns them."""
        req = s.server_request("window/workDoneProgress/create", timeout=TIMEOUT)
        token = req["params"]["token"]
        s.reply(req["id"], None)
        values = []
        deadline = time.time() + 60 * SLOW
        while time.time() < deadline:
            m = s.notification("$/progress", timeout=60 * SLOW,
                               pred=lambda m: m["params"]["token"] == token)
            values.append(m["params"]["value"])
            if values[-1]["kind"] == "begin" and on_begin:
                on_begin(token)
            if values[-1]["kind"] == "end":
                return values
        self.fail("no end of progress")

    def references(self, s, doc_uri, line, ch, decl=False):
        return s.call("textDocument/references", {
            "textDocument": {"uri": doc_uri}, "position": {"line": line, "character": ch},
            "context": {"includeDeclaration": decl}}, timeout=30 * SLOW)

    def test_thousands_of_documents_with_progress_then_references(self):
        nrr = self.many(MANY)
        # Not documents: skipped by the walk.
        self.write("docs/image.png", "NRR")
        self.write("node_modules/pkg/readme.md", WITH_NRR)
        self.write(".hidden/notes.md", WITH_NRR)
        self.write("ignored/notes.md", WITH_NRR)
        self.write(".gitignore", "ignored/\n")
        with self.start() as s:
            values = self.progress_to_end(s)
            self.assertEqual(values[0]["kind"], "begin")
            self.assertTrue(values[0]["cancellable"])
            self.assertEqual(values[-1]["message"], "indexed %d documents" % MANY)
            for v in values[1:-1]:
                self.assertEqual(v["kind"], "report")
                self.assertTrue(0 <= v["percentage"] <= 100)
            open_path = nrr[0]
            s.open(uri(open_path), WITH_NRR)
            refs = self.references(s, uri(open_path), 0, 5)
            got = sorted(r["uri"] for r in refs)
            want = sorted(uri(p) for p in nrr for _ in range(2))
            self.assertEqual(got, want)
            for r in refs:
                self.assertIn(r["range"]["start"]["line"], (0, 2))
            # With the declaration: the built-in glossary's entry comes first.
            refs = self.references(s, uri(open_path), 0, 5, decl=True)
            self.assertEqual(len(refs), len(want) + 1)
            self.assertTrue(refs[0]["uri"].endswith("cs-glossary.json"))
            # Not on a term: null.
            self.assertIsNone(self.references(s, uri(open_path), 0, 0))
            s.shutdown_and_exit()

    def test_cancel_keeps_serving(self):
        self.many(MANY)
        with self.start() as s:
            def cancel(token):
                s.notify("window/workDoneProgress/cancel", {"token": token})
            values = self.progress_to_end(s, on_begin=cancel)
            self.assertTrue(values[-1]["message"].startswith("cancelled after "),
                            values[-1]["message"])
            done = int(values[-1]["message"].split()[2])
            self.assertLess(done, MANY)
            # Cancelled, not broken: requests are answered, and the open
            # document's own uses are found.
            path = self.write("docs/open.md", WITH_NRR)
            s.open(uri(path), WITH_NRR)
            refs = self.references(s, uri(path), 0, 5)
            self.assertEqual([r["uri"] for r in refs], [uri(path)] * 2)
            s.shutdown_and_exit()

    def test_cap_is_reported(self):
        self.many(40, with_nrr_every=1)
        with self.start(settings={"workspaceMaxFiles": 10}) as s:
            values = self.progress_to_end(s)
            self.assertIn("first 10 documents", values[-1]["message"])
            path = os.path.join(self.root, "docs/d00/note-00000.md")
            s.open(uri(path), WITH_NRR)
            refs = self.references(s, uri(path), 0, 5)
            self.assertEqual(len(refs), 2 * 10)
            s.shutdown_and_exit()

    def test_symbolic_links_never_leave_the_workspace(self):
        outside = tempfile.TemporaryDirectory()
        try:
            out_root = os.path.realpath(outside.name)
            out_file = self.write("secret/notes.md", WITH_NRR, root=out_root)
            os.symlink(os.path.join(out_root, "secret"), os.path.join(self.root, "linked-dir"))
            os.symlink(out_file, os.path.join(self.root, "linked.md"))
            inside = self.write("inside.md", WITH_NRR)
            with self.start() as s:
                values = self.progress_to_end(s)
                self.assertEqual(values[-1]["message"], "indexed 1 documents")
                s.open(uri(inside), WITH_NRR)
                refs = self.references(s, uri(inside), 0, 5)
                self.assertEqual({r["uri"] for r in refs}, {uri(inside)})
                s.shutdown_and_exit()
        finally:
            outside.cleanup()

    def test_watched_file_events_keep_it_current(self):
        first = self.write("a.md", WITH_NRR)
        with self.start() as s:
            self.progress_to_end(s)
            s.open(uri(first), WITH_NRR)
            self.assertEqual(len(self.references(s, uri(first), 0, 5)), 2)
            added = self.write("b.md", WITH_NRR)
            s.notify("workspace/didChangeWatchedFiles",
                     {"changes": [{"uri": uri(added), "type": 1}]})
            self.assertEqual(len(self.references(s, uri(first), 0, 5)), 4)
            os.unlink(added)
            s.notify("workspace/didChangeWatchedFiles",
                     {"changes": [{"uri": uri(added), "type": 3}]})
            self.assertEqual(len(self.references(s, uri(first), 0, 5)), 2)
            # An edited file on disk is read again.
            with open(first, "w") as f:
                f.write(PLAIN)
            s.notify("workspace/didChangeWatchedFiles",
                     {"changes": [{"uri": uri(first), "type": 2}]})
            # The open document still says NRR twice: it wins over the file.
            self.assertEqual(len(self.references(s, uri(first), 0, 5)), 2)
            s.shutdown_and_exit()

    def test_workspace_folders_added_later_are_indexed(self):
        second = tempfile.TemporaryDirectory()
        try:
            other = os.path.realpath(second.name)
            mine = self.write("mine.md", WITH_NRR)
            theirs = self.write("theirs.md", WITH_NRR, root=other)
            with self.start(folders=[self.root]) as s:
                self.progress_to_end(s)
                s.open(uri(mine), WITH_NRR)
                self.assertEqual({r["uri"] for r in self.references(s, uri(mine), 0, 5)},
                                 {uri(mine)})
                s.notify("workspace/didChangeWorkspaceFolders", {"event": {
                    "added": [{"uri": uri(other), "name": "other"}], "removed": []}})
                self.progress_to_end(s)
                self.assertEqual({r["uri"] for r in self.references(s, uri(mine), 0, 5)},
                                 {uri(mine), uri(theirs)})
                # A malformed event is ignored, the server keeps serving.
                s.notify("workspace/didChangeWorkspaceFolders", {"event": 3})
                self.assertEqual(len(self.references(s, uri(mine), 0, 5)), 4)
                s.shutdown_and_exit()
        finally:
            second.cleanup()

    def test_progress_token_answered_after_the_build_ended(self):
        # A client may answer window/workDoneProgress/create late; the
        # build it was for is long gone by then.
        mine = self.write("mine.md", WITH_NRR)
        with self.start() as s:
            req = s.server_request("window/workDoneProgress/create", timeout=TIMEOUT)
            s.open(uri(mine), WITH_NRR)
            deadline = time.time() + 30 * SLOW
            while time.time() < deadline and not self.references(s, uri(mine), 0, 5):
                time.sleep(0.05)
            time.sleep(0.3)
            s.reply(req["id"], None)
            # The progress it granted is opened and closed at once.
            token = req["params"]["token"]
            kinds = [s.notification("$/progress", timeout=TIMEOUT,
                                    pred=lambda m: m["params"]["token"] == token)
                     ["params"]["value"]["kind"] for _ in range(2)]
            self.assertEqual(kinds, ["begin", "end"])
            self.assertEqual(len(self.references(s, uri(mine), 0, 5)), 2)
            s.shutdown_and_exit()

    def test_completion_ranks_by_workspace_use(self):
        # "Customer Accountability" and "Customer Advisory Board" are the
        # same length: only their use in the workspace orders them.
        def order(term):
            with tempfile.TemporaryDirectory() as d:
                root = os.path.realpath(d)
                for i in range(5):
                    self.write("n%d.md" % i, "We met the %s again.\n" % term, root=root)
                s = Server(env=self.env)
                s.call("initialize", {"processId": None, "rootUri": uri(root),
                                      "capabilities": {"window": {"workDoneProgress": True}}})
                s.notify("initialized", {})
                with s:
                    self.progress_to_end(s)
                    doc = uri(os.path.join(root, "new.md"))
                    s.open(doc, "Customer A")
                    items = s.call("textDocument/completion", {
                        "textDocument": {"uri": doc},
                        "position": {"line": 0, "character": 10}})["items"]
                    labels = [i["label"] for i in items]
                    s.shutdown_and_exit()
                a = labels.index("Customer Accountability")
                b = labels.index("Customer Advisory Board")
                return "accountability" if a < b else "advisory"
        self.assertEqual(order("Customer Advisory Board"), "advisory")
        self.assertEqual(order("Customer Accountability"), "accountability")


if __name__ == "__main__":
    unittest.main()
