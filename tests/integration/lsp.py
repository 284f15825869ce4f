"""A small LSP client for driving the real glossary-ls binary over stdio.

It speaks the base protocol (Content-Length framing) itself, so tests can
also send malformed bytes. A reader thread collects every frame the server
writes; tests wait on them with timeouts, so a hung server fails a test
instead of hanging the suite."""

import json
import os
import queue
import subprocess
import threading
import time

BINARY = os.environ.get("GLS_BINARY") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "glossary-ls")

# Under valgrind or the sanitizers everything is slower.
SLOW = float(os.environ.get("GLS_TIMEOUT_SCALE", "1"))
TIMEOUT = 10 * SLOW


def frame(obj_or_bytes):
    body = obj_or_bytes if isinstance(obj_or_bytes, bytes) else json.dumps(obj_or_bytes).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def parse_frames(data):
    """Splits a byte string holding whole frames; returns the decoded bodies
    and asserts nothing but frames is there."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        assert sep, "unframed bytes on stdout: %r" % data[:80]
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        assert length is not None, "frame without Content-Length: %r" % head
        out.append(json.loads(rest[:length]))
        data = rest[length:]
    return out


class Server:
    def __init__(self, args=(), stdin=subprocess.PIPE, env=None):
        cmd = list(os.environ.get("GLS_WRAPPER", "").split()) + [BINARY] + list(args)
        self.proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.frames = queue.Queue()
        self.raw = bytearray()
        self.stderr = bytearray()
        self.next_id = 1
        self.pending = {}   # responses by id not yet taken
        self.other = []     # notifications and server requests not yet taken
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    # -- reading --
    def _read(self):
        # One bytearray, consumed from the front, and a frame's header parsed
        # once: a 200 MB response must not be copied per 64 KiB chunk.
        f = self.proc.stdout
        buf = bytearray()
        length = None  # body length of the frame whose header was parsed
        while True:
            chunk = f.read1(1 << 20) if hasattr(f, "read1") else f.read(1 << 20)
            if not chunk:
                break
            self.raw += chunk
            buf += chunk
            while True:
                if length is None:
                    end = buf.find(b"\r\n\r\n")
                    if end < 0:
                        break
                    head = bytes(buf[:end])
                    del buf[:end + 4]
                    for line in head.split(b"\r\n"):
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    if length is None:
                        self.frames.put(("garbage", head))
                        continue
                if len(buf) < length:
                    break
                self.frames.put(("msg", json.loads(bytes(buf[:length]))))
                del buf[:length]
                length = None
        if buf:
            self.frames.put(("garbage", bytes(buf)))
        self.frames.put(("eof", None))

    def _read_err(self):
        try:
            for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
                self.stderr += chunk
        except (ValueError, OSError):
            pass  # the test closed the pipe on its way out

    def next_message(self, timeout=TIMEOUT):
        kind, msg = self.frames.get(timeout=timeout)
        if kind == "garbage":
            raise AssertionError("server wrote unframed bytes: %r" % msg[:100])
        if kind == "eof":
            self.frames.put((kind, msg))  # stay at EOF for later calls
            time.sleep(0.2)  # let the stderr reader catch the last words
            raise EOFError("server closed stdout; stderr:\n%s"
                           % self.stderr.decode(errors="replace")[-6000:])
        return msg

    def _pump_until(self, pred, timeout):
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.other):
                if pred(m):
                    return self.other.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message within %.1fs; stderr:\n%s"
                                   % (timeout, self.stderr.decode(errors="replace")))
            try:
                m = self.next_message(timeout=left)
            except queue.Empty:
                continue
            if "id" in m and "method" not in m:
                self.pending[json.dumps(m["id"])] = m
                if pred(m):
                    return self.pending.pop(json.dumps(m["id"]))
            else:
                self.other.append(m)

    def response(self, id, timeout=TIMEOUT):
        key = json.dumps(id)
        if key in self.pending:
            return self.pending.pop(key)
        return self._pump_until(lambda m: "method" not in m and m.get("id") == id and
                                type(m.get("id")) is type(id), timeout)

    def notification(self, method, timeout=TIMEOUT, pred=lambda m: True):
        return self._pump_until(lambda m: m.get("method") == method and "id" not in m and pred(m),
                                timeout)

    def server_request(self, method, timeout=TIMEOUT):
        return self._pump_until(lambda m: m.get("method") == method and "id" in m, timeout)

    # -- writing --
    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        self.send_raw(frame(obj))

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request_async(self, method, params=None, id=None):
        if id is None:
            id = self.next_id
            self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return id

    def request(self, method, params=None, timeout=TIMEOUT):
        return self.response(self.request_async(method, params), timeout)

    def call(self, method, params=None, timeout=TIMEOUT):
        """A request that must succeed; returns its result."""
        r = self.request(method, params, timeout)
        assert "error" not in r, "%s failed: %r" % (method, r)
        return r["result"]

    def reply(self, id, result):
        self.send({"jsonrpc": "2.0", "id": id, "result": result})

    # -- session helpers --
    def initialize(self, encodings=None, capabilities=None, init_options=None, process_id=None):
        caps = capabilities or {}
        if encodings is not None:
            caps = dict(caps)
            caps.setdefault("general", {})["positionEncodings"] = encodings
        params = {"processId": process_id, "rootUri": None, "capabilities": caps}
        if init_options is not None:
            params["initializationOptions"] = init_options
        result = self.call("initialize", params)
        self.notify("initialized", {})
        return result

    def open(self, uri, text, language="markdown", version=1):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": version, "text": text}})

    def change(self, uri, version, changes):
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": changes})

    def document(self, uri):
        return self.call("glossaryLs/documentState", {"textDocument": {"uri": uri}})

    def shutdown_and_exit(self):
        """Ends the session properly; the exit code must be 0 (under valgrind
        or the sanitizers, a memory error or a leak makes it non-zero)."""
        self.call("shutdown")
        self.notify("exit")
        code = self.wait()
        assert code == 0, "exit code %r; stderr:\n%s" % (code, self.stderr.decode(errors="replace"))
        return code

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def wait(self, timeout=TIMEOUT):
        code = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=timeout)
        self.err_reader.join(timeout=timeout)
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                if f:
                    f.close()
            except OSError:
                pass


def eventually(fn, timeout=TIMEOUT, interval=0.02):
    """fn() once it returns something true, or its last value at the
    deadline: for effects the server applies in the background (a glossary
    reload)."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def range_(sl, sc, el, ec):
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}
