"""LSP latencies over stdio with a replayed editing session (make bench).

Prints, for a generated 100 KB and 1 MB customer-success document, with the
built-in glossary and with a synthetic 10,000-concept glossary:
initialize time, time until the glossary is in service (the first request
answered), the server's resident memory then (idle) and what opening the
document added, didOpen-to-first-diagnostics, keystroke-to-diagnostics
(typing one character at a time in the middle of the document), and hover
and completion latencies (p50 / p99); then start-up with a 100,000-concept
glossary. A benchmark, not a test."""

import json
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from lsp import Server  # noqa: E402

SENTENCES = [
    "The CSM reviews Net Revenue Retention (NRR) with the customer before each QBR.",
    "Our churn rate fell after the onboarding program was redesigned.",
    "A customer health score combines product usage, support tickets and NPS.",
    "Expansion revenue from upsell and cross-sell lifted NRR above 100%.",
    "Plain sentences without any glossary words make up much of a real document.",
]


def document(size, seed=7):
    rng = random.Random(seed)
    out, n, sec = [], 0, 0
    while n < size:
        sec += 1
        part = "## Section %d\n\n%s\n\n- item about the QBR\n- item about churn\n\n" % (
            sec, " ".join(rng.choice(SENTENCES) for _ in range(4)))
        out.append(part)
        n += len(part)
    return "".join(out)


def synthetic_glossary(path, n):
    concepts = [{"id": "syn-%d" % i, "term": "Synthetic Widget Metric %d" % i,
                 "abbreviations": ["SW%dX" % i], "definition": "Made-up concept %d." % i}
                for i in range(n)]
    with open(path, "w") as f:
        json.dump({"concepts": concepts}, f)
    # Dated back: a file modified in the last two seconds is never cached.
    t = time.time() - 60
    os.utime(path, (t, t))


def rss_mib(pid):
    """The process's resident set now (VmRSS), in MiB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] * 1e3


def run(label, text, settings):
    uri = "file:///bench/doc.md"
    s = Server()
    t0 = time.perf_counter()
    s.call("initialize", {"processId": None, "rootUri": None,
                          "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown"]}}},
                          "initializationOptions": dict(settings, debounceMs=0)}, timeout=120)
    init = time.perf_counter() - t0
    s.notify("initialized", {})
    # Requests wait until the first glossary is in service: the answer to
    # this one says it is.
    s.call("glossaryLs/status", {}, timeout=120)
    ready = time.perf_counter() - t0
    idle = rss_mib(s.proc.pid)
    t0 = time.perf_counter()
    s.open(uri, text)
    s.notification("textDocument/publishDiagnostics", timeout=120,
                   pred=lambda m: m["params"]["uri"] == uri)
    open_ms = (time.perf_counter() - t0) * 1e3
    opened = rss_mib(s.proc.pid)
    lines = text.split("\n")
    mid = len(lines) // 2
    while not lines[mid].startswith("The ") and mid < len(lines) - 1:
        mid += 1
    # Keystrokes: type "x" at the end of a middle line, wait for its diagnostics.
    keys = []
    col = len(lines[mid])
    for i in range(60):
        t0 = time.perf_counter()
        s.change(uri, 2 + i, [{"range": {"start": {"line": mid, "character": col + i},
                                         "end": {"line": mid, "character": col + i}},
                               "text": "x"}])
        s.notification("textDocument/publishDiagnostics", timeout=120,
                       pred=lambda m, v=2 + i: m["params"]["version"] == v)
        keys.append(time.perf_counter() - t0)
    hovers, comps = [], []
    rng = random.Random(3)
    for _ in range(200):
        ln = rng.randrange(len(lines))
        ch = rng.randrange(max(1, len(lines[ln])))
        t0 = time.perf_counter()
        s.call("textDocument/hover", {"textDocument": {"uri": uri},
                                      "position": {"line": ln, "character": ch}})
        hovers.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        s.call("textDocument/completion", {"textDocument": {"uri": uri},
                                           "position": {"line": mid, "character": 4}})
        comps.append(time.perf_counter() - t0)
    s.shutdown_and_exit()
    print("%-36s %6.1f %7.1f %6.1f %6.1f %8.1f %6.2f/%-6.2f %5.2f/%-5.2f %5.2f/%-5.2f" % (
        label, init * 1e3, ready * 1e3, idle, opened - idle, open_ms, pct(keys, 50),
        pct(keys, 99), pct(hovers, 50), pct(hovers, 99), pct(comps, 50), pct(comps, 99)))


def main():
    print("glossary-ls LSP latencies over stdio (ms; p50/p99 over 60 keystrokes, 200 hovers "
          "and completions)\n")
    print("init: initialize answered; ready: glossary in service; idle: RSS MiB then; "
          "+open: RSS MiB the open document added\n")
    print("%-36s %6s %7s %6s %6s %8s %13s %11s %11s" % (
        "case", "init", "ready", "idle", "+open", "open->dg", "key->diag", "hover",
        "completion"))
    with tempfile.TemporaryDirectory() as d:
        os.environ["GLOSSARY_LS_CACHE"] = os.path.join(d, "cache")
        gl = os.path.join(d, "synthetic.json")
        synthetic_glossary(gl, 10000)
        big = os.path.join(d, "synthetic-100k.json")
        synthetic_glossary(big, 100000)
        for size, name in ((100_000, "100 KB"), (1_000_000, "1 MB")):
            text = document(size)
            run(name + ", built-in glossary", text, {})
            # The first start with a glossary file writes its cache; later
            # starts read it.
            run(name + ", +10k concepts" + (", uncached" if size == 100_000 else ", cached"),
                text, {"glossaries": [gl]})
        # The first start loads the JSON and writes the glossary cache; the
        # second reads the cache.
        run("100 KB, +100k concepts, uncached", document(100_000), {"glossaries": [big]})
        run("100 KB, +100k concepts, cached", document(100_000), {"glossaries": [big]})


if __name__ == "__main__":
    main()
