#!/usr/bin/env python3
"""Precision corpus: realistic, correctly written customer-success documents.

Every file here is written the way a careful editor would leave it by the
built-in glossary's standards, so `glossary-ls check` must report nothing.
Each finding is a false positive (or a document bug) and is listed as
file:line:col rule message.

Usage: tests/precision/run.py [FILE...]
Binary: $GLS_BINARY, default build/glossary-ls (relative to the repository
root when not absolute). Exit status 1 on any finding or failure to run.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXTS = (".md", ".txt")


def binary():
    path = os.environ.get("GLS_BINARY", "build/glossary-ls")
    if not os.path.isabs(path) and not os.path.exists(path):
        path = os.path.join(ROOT, path)
    # Others may be rebuilding the binary: give it a few seconds to reappear.
    for _ in range(10):
        if os.path.exists(path):
            break
        time.sleep(1)
    return path


def corpus(argv):
    if argv:
        return [os.path.abspath(a) for a in argv]
    return sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith(EXTS))


def check(exe, path):
    """Returns (findings, error): findings as dicts, error as a string or None."""
    cmd = [exe, "check", "--format", "json",
           "--rule", "undefined-acronym=warning",
           "--rule", "expand-on-first-use=warning", path]
    for attempt in range(3):
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            time.sleep(2)
            continue
        except subprocess.TimeoutExpired:
            return [], "timed out"
        if p.returncode not in (0, 1):
            if attempt < 2:
                time.sleep(2)
                continue
            return [], "exit %d: %s" % (p.returncode, p.stderr.strip())
        try:
            data = json.loads(p.stdout or "[]")
        except ValueError as e:
            return [], "bad JSON output (%s): %r" % (e, p.stdout[:200])
        if isinstance(data, dict):
            data = data.get("findings", data.get("diagnostics", []))
        return data, None
    return [], "cannot run %s" % exe


def main(argv):
    exe = binary()
    files = corpus(argv)
    passed = failed = 0
    for path in files:
        rel = os.path.relpath(path, ROOT)
        findings, err = check(exe, path)
        if err:
            failed += 1
            print("%s: error: %s" % (rel, err))
            continue
        if not findings:
            passed += 1
            continue
        failed += 1
        for f in findings:
            print("%s:%s:%s %s %s" % (rel, f.get("line"), f.get("column"),
                                      f.get("rule"), f.get("message")))
    print("precision: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
