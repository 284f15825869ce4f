"""JSON-RPC and framing over stdio: every error code, malformed input of
each kind, random splits of the byte stream, oversized messages,
cancellation. After each bad input the server must still serve."""

import json
import os
import random
import subprocess
import tempfile
import unittest

from lsp import BINARY, SLOW, TIMEOUT, Server, frame, parse_frames


def alive(s):
    """The server still answers a request correctly."""
    st = s.call("glossaryLs/status")
    assert st["state"] == "running", st
    return st


class Errors(unittest.TestCase):
    def setUp(self):
        self.s = Server()
        self.s.initialize()

    def tearDown(self):
        try:
            self.assertEqual(self.s.shutdown_and_exit(), 0)
        finally:
            self.s.__exit__(None, None, None)

    def test_parse_error(self):
        self.s.send_raw(frame(b'{"jsonrpc": "2.0", "id": 5, "method": '))
        r = self.s.response(None)
        self.assertEqual(r["error"]["code"], -32700)
        self.assertIsNone(r["id"])
        alive(self.s)

    def test_invalid_utf8_json_is_parse_error(self):
        self.s.send_raw(frame(b'{"jsonrpc":"2.0","id":1,"method":"x\xff"}'))
        self.assertEqual(self.s.response(None)["error"]["code"], -32700)
        alive(self.s)

    def test_not_an_object(self):
        for body in (b"[]", b'[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]', b"42", b'"x"',
                     b"null", b"true"):
            self.s.send_raw(frame(body))
            r = self.s.response(None)
            self.assertEqual(r["error"]["code"], -32600, body)
        alive(self.s)

    def test_wrong_jsonrpc_version(self):
        for v in ("1.0", 2, None):
            msg = {"id": 7, "method": "glossaryLs/status"}
            if v is not None:
                msg["jsonrpc"] = v
            self.s.send(msg)
            r = self.s.response(7)
            self.assertEqual(r["error"]["code"], -32600, v)
        alive(self.s)

    def test_ids_of_every_type(self):
        for good in (0, -5, 2**53, "abc", "", "\u00e9\U0001F600"):
            self.s.send({"jsonrpc": "2.0", "id": good, "method": "glossaryLs/status"})
            r = self.s.response(good)
            self.assertEqual(r["id"], good)
            self.assertIn("result", r)
        for bad in (1.5, True, False, {"a": 1}, [1], None):
            self.s.send({"jsonrpc": "2.0", "id": bad, "method": "glossaryLs/status"})
            r = self.s.response(None)
            self.assertEqual(r["error"]["code"], -32600, bad)
        alive(self.s)

    def test_method_not_found(self):
        r = self.s.request("textDocument/noSuchThing", {})
        self.assertEqual(r["error"]["code"], -32601)
        r = self.s.request("$/noSuchThing", {})
        self.assertEqual(r["error"]["code"], -32601)
        # A known notification sent as a request is not a request we have.
        r = self.s.request("textDocument/didSave", {"textDocument": {"uri": "file:///x"}})
        self.assertEqual(r["error"]["code"], -32601)
        alive(self.s)

    def test_unknown_notifications_ignored(self):
        self.s.notify("$/progress", {"token": 1, "value": {}})
        self.s.notify("$/unknown", {})
        self.s.notify("custom/thing", {"x": 1})
        self.s.notify("$/cancelRequest", {"id": 424242})
        self.s.notify("$/cancelRequest", {"id": 1.5})
        self.s.notify("$/cancelRequest", [])
        self.s.notify("$/setTrace", {"value": "verbose"})
        alive(self.s)
        # Nothing was answered for them: the next frame is the status reply.

    def test_missing_method(self):
        self.s.send({"jsonrpc": "2.0", "id": 3})
        self.assertEqual(self.s.response(3)["error"]["code"], -32600)
        self.s.send({"jsonrpc": "2.0", "id": 4, "method": 12})
        self.assertEqual(self.s.response(4)["error"]["code"], -32600)
        alive(self.s)

    def test_params_wrong_type(self):
        for params in ("string", 12, True):
            self.s.send({"jsonrpc": "2.0", "id": 9, "method": "glossaryLs/status",
                         "params": params})
            self.assertEqual(self.s.response(9)["error"]["code"], -32602, params)
        for method in ("glossaryLs/documentState",):
            for params in ({}, {"textDocument": 3}, {"textDocument": {"uri": 5}}, []):
                r = self.s.request(method, params)
                self.assertEqual(r["error"]["code"], -32602, (method, params))
        # Notifications with wrong params are logged, not answered, and harmless.
        for method in ("textDocument/didOpen", "textDocument/didChange",
                       "textDocument/didClose", "textDocument/didSave", "$/setTrace",
                       "workspace/didChangeConfiguration", "initialized"):
            for params in ({}, {"textDocument": []}, {"textDocument": {"uri": 1}}, [1]):
                self.s.notify(method, params)
        alive(self.s)

    def test_cancel_queued_request(self):
        # The request and its cancellation arrive in one write, so the
        # server sees the cancellation before it starts on the request.
        req = {"jsonrpc": "2.0", "id": 77, "method": "glossaryLs/status"}
        cancel = {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 77}}
        self.s.send_raw(frame(req) + frame(cancel))
        r = self.s.response(77)
        self.assertEqual(r["error"]["code"], -32800)
        # A string id too, and cancelling something already answered is harmless.
        req["id"] = "s1"
        cancel["params"]["id"] = "s1"
        self.s.send_raw(frame(req) + frame(cancel))
        self.assertEqual(self.s.response("s1")["error"]["code"], -32800)
        self.s.notify("$/cancelRequest", {"id": "s1"})
        alive(self.s)

    def test_answers_keep_message_order(self):
        data = b"".join([
            frame({"jsonrpc": "2.0", "id": 1, "method": "glossaryLs/status"}),
            frame(b"{bad json"),
            frame({"jsonrpc": "2.0", "id": 2, "method": "nope"}),
            frame(b"[]"),
            frame({"jsonrpc": "2.0", "id": 3, "method": "glossaryLs/status"}),
        ])
        self.s.send_raw(data)
        got = []
        while len(got) < 5:
            m = self.s.next_message()
            if "method" not in m:  # skip window/logMessage and the like
                got.append(m)
        self.assertEqual([m.get("id") for m in got], [1, None, 2, None, 3])
        self.assertEqual([m["error"]["code"] for m in got if "error" in m],
                         [-32700, -32601, -32600])


class Framing(unittest.TestCase):
    def test_random_splits_10000_messages(self):
        rng = random.Random(1234)
        msgs = [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "capabilities": {}}}]
        for i in range(2, 10002):
            kind = i % 4
            if kind == 0:
                msgs.append({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                    "textDocument": {"uri": "file:///d%d.md" % (i % 7), "languageId": "markdown",
                                     "version": i, "text": "x\u00e9\U0001F600\r\n" * (i % 13)}}})
            elif kind == 1:
                msgs.append({"jsonrpc": "2.0", "method": "$/cancelRequest",
                             "params": {"id": -i}})
            else:
                msgs.append({"jsonrpc": "2.0", "id": i, "method": "glossaryLs/status"})
        msgs.append({"jsonrpc": "2.0", "id": 20000, "method": "shutdown"})
        msgs.append({"jsonrpc": "2.0", "method": "exit"})
        data = b"".join(frame(m) for m in msgs)
        s = Server()
        try:
            pos = 0
            while pos < len(data):
                n = rng.choice((1, 1, 2, 3, 7, 64, 500, 4096, 70000))
                s.send_raw(data[pos:pos + n])
                pos += n
            expected = [m["id"] for m in msgs if "id" in m]
            got = []
            while len(got) < len(expected):
                m = s.next_message(timeout=30 * SLOW)
                if "id" in m and "method" not in m:
                    self.assertNotIn("error", m)
                    got.append(m["id"])
            self.assertEqual(got, expected)
            self.assertEqual(s.wait(), 0)
        finally:
            s.__exit__(None, None, None)

    def bad_then_good(self, bad, args=()):
        """Sends 'bad' bytes then a valid request; the request must be answered."""
        with Server(args) as s:
            s.initialize()
            s.send_raw(bad)
            s.send({"jsonrpc": "2.0", "id": 555, "method": "glossaryLs/status"})
            r = s.response(555, timeout=30 * SLOW)
            self.assertEqual(r["result"]["state"], "running")
            self.assertEqual(s.shutdown_and_exit(), 0)
            return s

    def test_garbage_bytes(self):
        rng = random.Random(7)
        junk = bytes(rng.randrange(256) for _ in range(5000)).replace(b"\n", b"")
        self.bad_then_good(junk + b"\r\n\r\n")
        self.bad_then_good(b"\x00\x01\x02garbage\r\n\r\n")

    def test_missing_content_length(self):
        s = self.bad_then_good(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n")
        self.assertIn(b"Content-Length", bytes(s.stderr))

    def test_negative_and_non_numeric_length(self):
        for bad in (b"Content-Length: -5\r\n\r\n", b"Content-Length: abc\r\n\r\n",
                    b"Content-Length: 12x\r\n\r\n", b"Content-Length:\r\n\r\n",
                    b"Content-Length: 99999999999999999999999\r\n\r\n"):
            self.bad_then_good(bad)

    def test_content_type_header_accepted(self):
        with Server() as s:
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                               "params": {"processId": None, "capabilities": {}}}).encode()
            s.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                       b"content-length: %d\r\n\r\n" % len(body) + body)
            self.assertIn("result", s.response(1))
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_header_line_of_1mb(self):
        s = self.bad_then_good(b"X-Junk: " + b"a" * (1 << 20) + b"\r\n\r\n")
        self.assertIn(b"header line longer", bytes(s.stderr))

    def test_100mib_content_length(self):
        # Declared and actually sent: skipped chunk by chunk, never buffered.
        size = 100 << 20
        with Server() as s:
            s.initialize()
            s.send_raw(b"Content-Length: %d\r\n\r\n" % size)
            chunk = b"x" * (1 << 20)
            for _ in range(100):
                s.send_raw(chunk)
            s.send({"jsonrpc": "2.0", "id": 555, "method": "glossaryLs/status"})
            r = s.response(555, timeout=60 * SLOW)
            self.assertGreaterEqual(r["result"]["framingErrors"], 1)
            self.assertIn(b"exceeds the limit", bytes(s.stderr))
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_configured_cap(self):
        s = self.bad_then_good(frame({"jsonrpc": "2.0", "id": 1, "method": "x",
                                      "params": {"pad": "y" * 5000}}),
                               args=["--max-message-size=4K"])
        self.assertIn(b"exceeds the limit of 4096", bytes(s.stderr))

    def test_truncated_body_at_eof(self):
        with Server() as s:
            s.initialize()
            s.send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":")
            s.close_stdin()
            self.assertEqual(s.wait(), 0)
            self.assertIn(b"input ended inside a message", bytes(s.stderr))

    def test_stdout_is_only_frames(self):
        with Server(["--log-level=debug"]) as s:
            s.initialize()
            s.send_raw(b"garbage\r\n\r\n" + frame(b"{bad"))
            s.response(None)
            s.shutdown_and_exit()
            parse_frames(bytes(s.raw))  # asserts nothing else is on stdout


class Transport(unittest.TestCase):
    def session_bytes(self):
        return b"".join(frame(m) for m in [
            {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": None, "capabilities": {}}},
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "glossaryLs/status"},
            {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        ])

    def test_stdin_and_stdout_regular_files(self):
        with tempfile.TemporaryDirectory() as d:
            inp = os.path.join(d, "in")
            out = os.path.join(d, "out")
            with open(inp, "wb") as f:
                f.write(self.session_bytes())
            with open(inp, "rb") as fi, open(out, "wb") as fo:
                code = subprocess.run([BINARY], stdin=fi, stdout=fo, stderr=subprocess.PIPE,
                                      timeout=TIMEOUT).returncode
            self.assertEqual(code, 0)
            with open(out, "rb") as f:
                ids = [m.get("id") for m in parse_frames(f.read()) if "id" in m]
            self.assertEqual(ids, [1, 2, 3])

    def test_stdin_dev_null(self):
        p = subprocess.run([BINARY], stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIMEOUT)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout, b"")

    def test_socketpair_stdio(self):
        import socket
        a, b = socket.socketpair()
        p = subprocess.Popen([BINARY], stdin=b.fileno(), stdout=b.fileno(),
                             stderr=subprocess.PIPE)
        b.close()
        a.sendall(self.session_bytes())
        data = b""
        a.settimeout(TIMEOUT)
        while True:
            chunk = a.recv(65536)
            if not chunk:
                break
            data += chunk
        self.assertEqual(p.wait(timeout=TIMEOUT), 0)
        self.assertEqual([m.get("id") for m in parse_frames(data) if "id" in m], [1, 2, 3])
        a.close()

    def test_client_closes_stdout(self):
        # No reader thread here: the test closes its read end of stdout
        # while the server still has answers to write.
        p = subprocess.Popen([BINARY], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdout.close()
        msgs = [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "capabilities": {}}}]
        msgs += [{"jsonrpc": "2.0", "id": i, "method": "glossaryLs/status"} for i in range(2, 200)]
        try:
            p.stdin.write(b"".join(frame(m) for m in msgs))
            p.stdin.flush()
        except BrokenPipeError:
            pass
        code = p.wait(timeout=TIMEOUT)
        err = p.stderr.read()
        p.stdin.close() if not p.stdin.closed else None
        p.stderr.close()
        self.assertEqual(code, 1, err)  # exits by itself, not killed by SIGPIPE
        self.assertIn(b"writing to the client failed", err)


if __name__ == "__main__":
    unittest.main()
