"""Lifecycle per LSP 3.17: initialize, initialized, shutdown, exit, EOF,
the not-initialized gate, position-encoding negotiation, parent watch."""

import json
import subprocess
import time
import unittest

from lsp import SLOW, TIMEOUT, Server, frame, parse_frames


class Lifecycle(unittest.TestCase):
    def test_initialize_result(self):
        with Server() as s:
            r = s.initialize()
            self.assertEqual(r["serverInfo"]["name"], "glossary-ls")
            self.assertRegex(r["serverInfo"]["version"], r"^\d+\.\d+\.\d+")
            sync = r["capabilities"]["textDocumentSync"]
            self.assertEqual(sync["change"], 2)  # incremental
            self.assertTrue(sync["openClose"])
            self.assertEqual(r["capabilities"]["positionEncoding"], "utf-16")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_exit_without_shutdown_is_1(self):
        with Server() as s:
            s.initialize()
            s.notify("exit")
            self.assertEqual(s.wait(), 1)

    def test_exit_before_initialize_is_1(self):
        with Server() as s:
            s.notify("exit")
            self.assertEqual(s.wait(), 1)

    def test_eof_ends_cleanly(self):
        with Server() as s:
            s.initialize()
            s.close_stdin()
            self.assertEqual(s.wait(), 0)

    def test_eof_after_shutdown(self):
        with Server() as s:
            s.initialize()
            s.call("shutdown")
            s.close_stdin()
            self.assertEqual(s.wait(), 0)

    def test_eof_immediately(self):
        with Server() as s:
            s.close_stdin()
            self.assertEqual(s.wait(), 0)
            self.assertEqual(bytes(s.raw), b"")

    def test_messages_before_eof_are_all_answered(self):
        msgs = [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "capabilities": {}}}]
        msgs += [{"jsonrpc": "2.0", "id": i, "method": "glossaryLs/status"} for i in range(2, 50)]
        p = subprocess.run([Server.__init__.__globals__["BINARY"]],
                           input=b"".join(frame(m) for m in msgs), capture_output=True,
                           timeout=TIMEOUT)
        self.assertEqual(p.returncode, 0)
        ids = [m["id"] for m in parse_frames(p.stdout) if "id" in m]
        self.assertEqual(ids, list(range(1, 50)))

    def test_requests_before_initialize(self):
        with Server() as s:
            r = s.request("textDocument/hover", {"textDocument": {"uri": "file:///x"},
                                                 "position": {"line": 0, "character": 0}})
            self.assertEqual(r["error"]["code"], -32002)
            r = s.request("shutdown")
            self.assertEqual(r["error"]["code"], -32002)
            r = s.request("no/such/method")
            self.assertEqual(r["error"]["code"], -32002)
            # Notifications before initialize are dropped, not answered.
            s.open("file:///early.md", "text")
            s.initialize()
            st = s.call("glossaryLs/status")
            self.assertEqual(st["documents"], [])
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_initialize_twice(self):
        with Server() as s:
            s.initialize()
            r = s.request("initialize", {"processId": None, "capabilities": {}})
            self.assertEqual(r["error"]["code"], -32600)
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_initialize_bad_params(self):
        with Server() as s:
            for params in ([1, 2], {"processId": "x", "capabilities": {}},
                           {"processId": None, "capabilities": 3}):
                r = s.request("initialize", params)
                self.assertEqual(r["error"]["code"], -32602, params)
            # Still uninitialized, and still able to initialize properly.
            self.assertEqual(s.request("glossaryLs/status")["error"]["code"], -32002)
            s.initialize()
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_after_shutdown(self):
        with Server() as s:
            s.initialize()
            s.call("shutdown")
            r = s.request("glossaryLs/status")
            self.assertEqual(r["error"]["code"], -32600)
            r = s.request("shutdown")
            self.assertEqual(r["error"]["code"], -32600)
            s.notify("exit")
            self.assertEqual(s.wait(), 0)

    def test_log_message_after_initialize(self):
        with Server() as s:
            s.initialize()
            m = s.notification("window/logMessage")
            self.assertIn("glossary-ls", m["params"]["message"])
            self.assertIn(m["params"]["type"], (1, 2, 3, 4))
            s.shutdown_and_exit()

    def test_parent_process_watch(self):
        parent = subprocess.Popen(["sleep", "0.5"])
        with Server(["--parent-poll-ms=100"]) as s:
            s.initialize(process_id=parent.pid)
            parent.wait()
            start = time.monotonic()
            self.assertEqual(s.wait(timeout=5 * SLOW), 1)
            self.assertLess(time.monotonic() - start, 5 * SLOW)

    def test_version_and_help(self):
        b = Server.__init__.__globals__["BINARY"]
        v = subprocess.run([b, "--version"], capture_output=True, text=True)
        self.assertEqual(v.returncode, 0)
        self.assertRegex(v.stdout, r"^glossary-ls \d+\.\d+\.\d+")
        h = subprocess.run([b, "--help"], capture_output=True, text=True)
        self.assertEqual(h.returncode, 0)
        self.assertIn("--stdio", h.stdout)
        bad = subprocess.run([b, "--no-such-flag"], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("unknown argument", bad.stderr)


class Encoding(unittest.TestCase):
    def negotiated(self, encodings):
        with Server() as s:
            r = s.initialize(encodings=encodings)
            s.shutdown_and_exit()
            return r["capabilities"]["positionEncoding"]

    def test_utf8_when_offered(self):
        self.assertEqual(self.negotiated(["utf-8", "utf-16"]), "utf-8")
        self.assertEqual(self.negotiated(["utf-16", "utf-8"]), "utf-8")

    def test_utf16_default(self):
        self.assertEqual(self.negotiated(None), "utf-16")
        self.assertEqual(self.negotiated([]), "utf-16")
        self.assertEqual(self.negotiated(["utf-16"]), "utf-16")
        self.assertEqual(self.negotiated(["latin-1"]), "utf-16")

    def test_utf32_when_preferred(self):
        self.assertEqual(self.negotiated(["utf-32", "utf-8"]), "utf-32")
        self.assertEqual(self.negotiated(["utf-32", "utf-16"]), "utf-32")
        self.assertEqual(self.negotiated(["utf-16", "utf-32"]), "utf-16")


class Configuration(unittest.TestCase):
    def test_pull_on_initialized_and_on_change(self):
        with Server() as s:
            s.initialize(capabilities={"workspace": {"configuration": True}})
            req = s.server_request("workspace/configuration")
            self.assertIsInstance(req["id"], int)
            self.assertEqual(req["params"]["items"][0]["section"], "glossaryLs")
            s.reply(req["id"], [{"rules": {"avoid-term": "error"}}])
            st = s.call("glossaryLs/status")
            self.assertEqual(st["configurationPulls"], 1)
            self.assertEqual(st["settings"], {"rules": {"avoid-term": "error"}})
            s.notify("workspace/didChangeConfiguration", {"settings": None})
            req2 = s.server_request("workspace/configuration")
            self.assertNotEqual(req2["id"], req["id"])
            s.reply(req2["id"], [{"rules": {}}])
            st = s.call("glossaryLs/status")
            self.assertEqual(st["configurationPulls"], 2)
            self.assertEqual(st["settings"], {"rules": {}})
            s.shutdown_and_exit()

    def test_error_response_to_pull_keeps_serving(self):
        with Server() as s:
            s.initialize(capabilities={"workspace": {"configuration": True}})
            req = s.server_request("workspace/configuration")
            s.send({"jsonrpc": "2.0", "id": req["id"],
                    "error": {"code": -32601, "message": "no"}})
            st = s.call("glossaryLs/status")
            self.assertEqual(st["configurationPulls"], 0)
            # A response to an id we never used is ignored too.
            s.send({"jsonrpc": "2.0", "id": 99999, "result": None})
            self.assertEqual(s.call("glossaryLs/status")["state"], "running")
            s.shutdown_and_exit()

    def test_push_settings(self):
        with Server() as s:
            s.initialize()
            s.notify("workspace/didChangeConfiguration",
                     {"settings": {"glossaryLs": {"hover": False}}})
            self.assertEqual(s.call("glossaryLs/status")["settings"], {"hover": False})
            s.shutdown_and_exit()

    def test_max_message_size_option(self):
        with Server() as s:
            s.initialize(init_options={"maxMessageSize": 1000})
            self.assertEqual(s.call("glossaryLs/status")["maxMessageSize"], 1000)
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()
