"""Load: 100,000 didChange notifications at full speed on a 1 MB document,
with a hover request after every 100 of them. Checks that no edit is lost
(the server's final text equals the client's model byte for byte), that
diagnostics are never published for an older version than one already
published and end on the final version with the findings a fresh server
gives for the final text, that memory stays bounded, and reports the hover
latency seen by the client (queueing behind the edits included) and the
server's peak RSS. Under the sanitizers and valgrind (GLS_TIMEOUT_SCALE > 1)
the run is ten times shorter."""

import random
import time
import unittest

from lsp import SLOW, Server, frame

URI = "file:///tmp/load.md"
LINE = ("The CSM reviews Net Revenue Retention (NRR) with the customer before "
        "each QBR, and our churn stays low.")


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def diag_key(d):
    r = d["range"]
    return (r["start"]["line"], r["start"]["character"], r["end"]["line"],
            r["end"]["character"], d["code"])


class Load(unittest.TestCase):
    def test_100k_changes_with_hovers(self):
        # Fewer under the sanitizers and fewer still under valgrind (which
        # runs it 30 times slower): the same paths, in CI's time budget.
        changes = 100000 if SLOW <= 1 else 10000 if SLOW <= 3 else 3000
        every = 100
        lines = []
        n = 0
        while n < 1 << 20:
            lines.append(LINE)
            lines.append("")
            n += len(LINE) + 2
        rng = random.Random(11)
        with Server() as s:
            s.initialize()
            s.open(URI, "\n".join(lines))
            s.notification("textDocument/publishDiagnostics")
            published = []   # (version, diagnostics) in arrival order
            latencies = []

            # Build the whole stream first so sending is as fast as a pipe
            # takes it; the model is a list of lines, edited in place.
            stream = bytearray()
            hover_at = {}
            version = 1
            for i in range(changes):
                version += 1
                ln = rng.randrange(0, len(lines), 2)  # a text line
                text = lines[ln]
                col = rng.randrange(0, len(text) + 1)
                if rng.random() < 0.5 or len(text) < 20:
                    ch = rng.choice("abcdefgh ")
                    lines[ln] = text[:col] + ch + text[col:]
                    edit = {"range": {"start": {"line": ln, "character": col},
                                      "end": {"line": ln, "character": col}}, "text": ch}
                else:
                    col = min(col, len(text) - 1)
                    lines[ln] = text[:col] + text[col + 1:]
                    edit = {"range": {"start": {"line": ln, "character": col},
                                      "end": {"line": ln, "character": col + 1}}, "text": ""}
                stream += frame({"jsonrpc": "2.0", "method": "textDocument/didChange",
                                 "params": {"textDocument": {"uri": URI, "version": version},
                                            "contentChanges": [edit]}})
                if i % every == every - 1:
                    hid = 1000000 + i
                    stream += frame({"jsonrpc": "2.0", "id": hid, "method": "textDocument/hover",
                                     "params": {"textDocument": {"uri": URI},
                                                "position": {"line": ln, "character": 10}}})
                    hover_at[len(stream)] = hid  # sent with the edits before it
            final_version = version

            # The edits go out at full speed; each hover waits for its answer
            # before the next edits are sent, so its latency is the time to
            # work through the edits ahead of it (up to 'every') and answer.
            t0 = time.monotonic()
            pos = 0
            for end in sorted(hover_at):
                sent = time.monotonic()
                s.send_raw(bytes(stream[pos:end]))
                pos = end
                hid = hover_at[end]
                while True:
                    m = s.next_message(timeout=60 * SLOW)
                    if m.get("method") == "textDocument/publishDiagnostics":
                        published.append((m["params"].get("version"),
                                          m["params"]["diagnostics"]))
                    elif m.get("id") == hid:
                        self.assertNotIn("error", m)
                        latencies.append(time.monotonic() - sent)
                        break
            s.send_raw(bytes(stream[pos:]))
            elapsed = time.monotonic() - t0

            st = s.call("glossaryLs/documentState", {"textDocument": {"uri": URI}})
            self.assertEqual(st["version"], final_version)
            self.assertEqual(st["text"], "\n".join(lines), "an edit was lost or misapplied")
            # Diagnostics settle on the final version.
            while not published or published[-1][0] != final_version:
                m = s.notification("textDocument/publishDiagnostics", timeout=30 * SLOW)
                published.append((m["params"].get("version"), m["params"]["diagnostics"]))
            versions = [v for v, _ in published]
            self.assertEqual(versions, sorted(versions), "older diagnostics published later")
            rss = peak_rss_kb(s.proc.pid)
            s.shutdown_and_exit()

        with Server() as fresh:
            fresh.initialize()
            fresh.open(URI, "\n".join(lines), version=final_version)
            want = fresh.notification("textDocument/publishDiagnostics")["params"]["diagnostics"]
            fresh.shutdown_and_exit()
        self.assertEqual(sorted(map(diag_key, published[-1][1])), sorted(map(diag_key, want)))

        latencies.sort()
        p50 = latencies[len(latencies) // 2] * 1e3
        p99 = latencies[int(len(latencies) * 0.99)] * 1e3
        print("\n  %d changes + %d hovers in %.1f s (%.0f changes/s); hover p50 %.2f ms, "
              "p99 %.2f ms; %d diagnostics publications; server peak RSS %.1f MB"
              % (changes, len(latencies), elapsed, changes / elapsed, p50, p99,
                 len(published), rss / 1024))
        # Bounded memory: the 1 MB document, its analysis and the queue of
        # unread messages, not a copy per edit.
        self.assertLess(rss, 400 * 1024)


if __name__ == "__main__":
    unittest.main()
