"""Side-by-side benchmark: `glossary-ls check` and the peer tools on the same
documents and the same avoid -> use pairs, whole process, in one run.

    python3 tests/bench/peers.py BINARY [--docs 100k,1m] [--sets builtin,10k,100k]
                                 [--repeat N] [--timeout SECONDS]

The corpus comes from tests/bench/corpus.py (generated into build/bench/corpus
when missing); the peers are the pinned npm packages of tests/bench/peers
(installed with `npm ci` when missing). Each row prints the median wall time
of N runs, the throughput, the peak RSS of the process tree (wait4), and the
ratio peer / glossary-ls for the same document and term set. A peer that runs
past the timeout is reported as such, never estimated. Not a test: it prints
figures and exits 0 unless glossary-ls itself fails."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PEERS = os.path.join(HERE, "peers")
BIN = os.path.join(PEERS, "node_modules", ".bin")
sys.path.insert(0, HERE)
import corpus  # noqa: E402


def run_once(argv, cwd, timeout):
    """Wall seconds and peak RSS (MiB) of one run, or (None, None) past the timeout."""
    # stderr goes to a file, not a pipe: a tool that writes its findings
    # there (markdownlint-cli2) would block on a full pipe.
    errf = tempfile.TemporaryFile()
    start = time.monotonic()
    p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=errf, start_new_session=True)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(p.pid, 9)
            os.wait4(p.pid, 0)
            errf.close()
            return None, None, None
        time.sleep(0.001)
    wall = time.monotonic() - start
    errf.seek(0)
    err = errf.read().decode(errors="replace")[-2000:]
    errf.close()
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024.0, (code, err)


def measure(argv, cwd, repeat, timeout):
    walls, rss, last = [], [], None
    for _ in range(repeat):
        wall, mem, last = run_once(argv, cwd, timeout)
        if wall is None:
            return None, None, None
        walls.append(wall)
        rss.append(mem)
    walls.sort()
    return walls[len(walls) // 2], max(rss), last


def ensure_corpus(outdir, binary):
    if not os.path.exists(os.path.join(outdir, "info.json")):
        print("generating the corpus in %s ..." % outdir, flush=True)
        corpus.main(outdir, binary)


def ensure_peers():
    if os.path.exists(os.path.join(BIN, "textlint")):
        return True
    if not shutil.which("npm"):
        print("npm not found: peers skipped")
        return False
    print("installing the pinned peers (npm ci) ...", flush=True)
    r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS)
    return r.returncode == 0


def peer_commands(outdir, label, doc):
    c = lambda name: os.path.join(BIN, name)  # noqa: E731
    cfg = lambda ext: os.path.join(outdir, label + ext)  # noqa: E731
    return [
        ("cspell", [c("cspell"), "lint", "--no-progress", "--no-summary", "--no-cache",
                    "--root", outdir, "--config", cfg(".cspell.json"), doc]),
        ("textlint+terminology", [c("textlint"), "--config", cfg(".textlintrc.json"), doc]),
        ("textlint+prh", [c("textlint"), "--config", cfg(".prhrc.json"), doc]),
        ("markdownlint-cli2 MD044", [c("markdownlint-cli2"), "--config",
                                     cfg(".markdownlint-cli2.jsonc"), doc]),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--docs", default="1m")
    ap.add_argument("--sets", default="builtin,10k,100k")
    ap.add_argument("--peer-sets", default="builtin,10k",
                    help="term sets the peers run (100k takes textlint many minutes)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer-repeat", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "build", "bench", "corpus"))
    ap.add_argument("--no-harper", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    # The glossary cache of this benchmark, apart from the user's.
    os.environ["GLOSSARY_LS_CACHE"] = os.path.join(args.corpus, "cache")
    ensure_corpus(args.corpus, binary)
    have_peers = ensure_peers()
    info = json.load(open(os.path.join(args.corpus, "info.json")))
    counts = {"builtin": "built-in", "10k": "10k", "100k": "100k"}

    print("\n== check, whole process: glossary-ls and peers on the same files "
          "(median of %d runs for glossary-ls, %d for peers)" % (args.repeat, args.peer_repeat))
    print("%-6s %-8s %-26s %9s %9s %9s %10s" % ("doc", "terms", "tool", "seconds", "MB/s",
                                                "RSS MiB", "peer/gls"))
    failed = False
    flat = {}
    for dname in args.docs.split(","):
        doc = os.path.join(args.corpus, "doc-%s.md" % dname)
        size = os.path.getsize(doc)
        for label in args.sets.split(","):
            argv = [binary, "check", "--format", "json"]
            if label != "builtin":
                argv += ["--no-builtin", "--glossary", os.path.join(args.corpus,
                                                                    "terms-%s.json" % label)]
            argv.append(doc)
            # A glossary file loads from its JSON the first time and from
            # the glossary cache after that: both are rows. Peers' ratios
            # are to the first (no cache), the conservative one.
            variants = [("glossary-ls", argv)]
            if label != "builtin":
                variants = [("glossary-ls --no-cache", argv[:2] + ["--no-cache"] + argv[2:]),
                            ("glossary-ls (cached)", argv)]
                run_once(argv, args.corpus, args.timeout)  # writes the cache
            base = None
            for name, av in variants:
                wall, rss, last = measure(av, args.corpus, args.repeat, args.timeout)
                if wall is None or last[0] not in (0, 1):
                    print("glossary-ls failed: %s" % (last[1] if last else "timeout"))
                    failed = True
                    break
                base = base or wall
                if name != "glossary-ls --no-cache":
                    flat.setdefault(dname, []).append((counts[label], size / wall / 1e6))
                print("%-6s %-8s %-26s %9.3f %9.1f %9.1f %10s" % (
                    dname, counts[label], name, wall, size / wall / 1e6, rss,
                    "1" if wall == base else "%.2fx" % (wall / base)), flush=True)
            if base is None:
                continue
            wall = base
            if not have_peers or label not in args.peer_sets.split(","):
                continue
            rows = peer_commands(args.corpus, label, doc)
            if not args.no_harper and label == "builtin":
                rows.append(("harper.js (own rules)", ["node", os.path.join(PEERS, "harper-lint.mjs"),
                                                       doc]))
            for name, pargv in rows:
                pwall, prss, _ = measure(pargv, PEERS, args.peer_repeat, args.timeout)
                if pwall is None:
                    print("%-6s %-8s %-26s %9s %9s %9s %10s" % (
                        dname, counts[label], name, ">%d" % args.timeout, "", "",
                        ">%.0fx" % (args.timeout / wall)), flush=True)
                    continue
                print("%-6s %-8s %-26s %9.3f %9.1f %9.1f %9.1fx" % (
                    dname, counts[label], name, pwall, size / pwall / 1e6, prss, pwall / wall),
                    flush=True)
    for dname, points in flat.items():
        if len(points) > 1:
            fastest = max(mbs for _, mbs in points)
            slowest = min(mbs for _, mbs in points)
            print("doc %s: glossary-ls throughput (glossary files cached) from the %s glossary "
                  "to %s terms varies by %.0f%% (slowest/fastest)" % (
                      dname, points[0][0], points[-1][0], 100 * (1 - slowest / fastest)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
