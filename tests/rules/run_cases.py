#!/usr/bin/env python3
"""run_cases.py: runs the annotated rule cases in tests/rules/cases/ through
`glossary-ls check --format json` and compares the findings with the
markers. See tests/rules/README.md for the case syntax.

Usage: run_cases.py [-v] [-k SUBSTRING] [CASES_FILE...]
Environment: GLS_BINARY (default build/glossary-ls).
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

RULES = (
    "undefined-acronym",
    "expand-on-first-use",
    "inconsistent-term",
    "avoid-term",
    "acronym-case",
    "metric-misuse",
)

HERE = os.path.dirname(os.path.abspath(__file__))
CASE_LINE = re.compile(r"^=== case:\s*(.*?)\s*$")
TEXT_FLAG = re.compile(r"\s*\(text\)$")


class Case:
    def __init__(self, path, rule, name, line, body, text):
        self.path = path          # the cases file
        self.rule = rule          # the file's rule
        self.name = name
        self.line = line          # line of the "=== case:" header
        self.body = body          # with markers
        self.text = text          # 1: plain text (.txt), 0: Markdown (.md)
        self.input = None         # body without markers
        self.markers = []         # (start, end, rule, fix or None), code points
        self.error = None         # a problem with the case itself


def split_cases(path):
    """Splits a cases file into Case objects (text before the first
    header is a comment)."""
    rule = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cases = []
    cur = None
    body = []

    def close():
        if cur is None:
            return
        # Blank lines around a body are layout, not input; the input ends
        # with one newline like any text file.
        while body and body[0].strip() == "":
            body.pop(0)
        while body and body[-1].strip() == "":
            body.pop()
        cur.body = "\n".join(body) + "\n"
        cases.append(cur)

    for no, line in enumerate(lines, 1):
        m = CASE_LINE.match(line)
        if m:
            close()
            name = m.group(1)
            text = 0
            if TEXT_FLAG.search(name):
                name = TEXT_FLAG.sub("", name)
                text = 1
            cur = Case(path, rule, name, no, "", text)
            body = []
        elif cur is not None:
            body.append(line)
    close()
    return cases


def parse_markers(src):
    """Strips [[written|rule]] and [[written|rule|fix]] markers (nestable in
    the written part) from 'src'. Returns (text, markers) with markers as
    (start, end, rule, fix-or-None) in code points of 'text'. A '[[' that
    does not open a well-formed marker is kept as text."""
    out = []
    markers = []

    def bracket_run(i):
        n = 0
        while i + n < len(src) and src[i + n] == "[":
            n += 1
        return n

    def pos():
        return sum(len(s) for s in out)

    def parse_marker(i):
        # src[i:i+2] == '[['; returns the index after ']]' or None.
        save_out = len(out)
        save_markers = len(markers)
        start = pos()
        j = i + 2
        while j < len(src):
            if bracket_run(j) >= 3 and bracket_run(j) % 2:
                out.append("[")
                j += 1
                continue
            if src.startswith("[[", j):
                k = parse_marker(j)
                if k is None:
                    out.append("[[")
                    j += 2
                else:
                    j = k
                continue
            if src[j] == "|":
                break
            if src.startswith("]]", j) or src.startswith("\n\n", j):
                j = len(src)
                break
            out.append(src[j])
            j += 1
        if j >= len(src):
            del out[save_out:]
            del markers[save_markers:]
            return None
        end = pos()
        close = src.find("]]", j)
        if close < 0:
            del out[save_out:]
            del markers[save_markers:]
            return None
        fields = src[j + 1:close].split("|", 1)
        rule = fields[0].strip()
        if rule not in RULES:
            del out[save_out:]
            del markers[save_markers:]
            return None
        fix = fields[1] if len(fields) > 1 else None
        markers.append((start, end, rule, fix))
        return close + 2

    i = 0
    while i < len(src):
        if bracket_run(i) >= 3 and bracket_run(i) % 2:
            # "[[[x|rule]](url)": a link whose text is marked; an even run
            # ("[[[[x|a]] y|b]]") opens nested markers.
            out.append("[")
            i += 1
            continue
        if src.startswith("[[", i):
            k = parse_marker(i)
            if k is not None:
                i = k
                continue
            out.append("[[")
            i += 2
            continue
        out.append(src[i])
        i += 1
    return "".join(out), markers


def line_starts(text):
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts


def to_offset(starts, text, line, column):
    """1-based line and code-point column to a code-point offset."""
    if line - 1 >= len(starts):
        return len(text)
    return starts[line - 1] + column - 1


def run_case(binary, case, tmpdir, index):
    if not case.input.strip():
        return ["empty case"]
    rules = {case.rule} | {m[2] for m in case.markers}
    ext = ".txt" if case.text else ".md"
    path = os.path.join(tmpdir, "case%04d%s" % (index, ext))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(case.input)
    cmd = [binary, "check", "--format", "json"]
    for r in sorted(rules):
        cmd += ["--rule", r + "=warning"]
    cmd.append(path)
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return ["cannot run %s: %s" % (binary, e)]
    if p.returncode not in (0, 1):
        return ["exit status %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace").strip())]
    try:
        findings = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        return ["output is not JSON (%s): %r" % (e, p.stdout[:200])]

    text = case.input
    starts = line_starts(text)
    got = {}
    for x in findings:
        if x.get("rule") not in rules:
            continue
        s = to_offset(starts, text, x["line"], x["column"])
        e = to_offset(starts, text, x["endLine"], x["endColumn"])
        fix = x.get("fix")
        got.setdefault((s, e, x["rule"]), []).append(
            (fix.get("replacement") if isinstance(fix, dict) else None, x.get("message", "")))
    want = {}
    for (s, e, r, fix) in case.markers:
        want.setdefault((s, e, r), []).append(fix)

    problems = []

    def show(key):
        s, e, r = key
        return "%s [%d,%d) %r" % (r, s, e, text[s:e])

    for key in sorted(set(want) | set(got), key=lambda k: (k[0], k[1], k[2])):
        w = want.get(key, [])
        g = got.get(key, [])
        if len(w) > len(g):
            problems.append("missing: %s" % show(key))
            continue
        if len(g) > len(w):
            msg = g[0][1]
            problems.append("unexpected: %s (%s)" % (
                show(key), msg if len(msg) <= 100 else msg[:97] + "..."))
            continue
        for fix, (repl, msg) in zip(w, g):
            s, e, _ = key
            if fix is None:
                if repl is not None:
                    problems.append("fix not marked: %s has fix %r" % (show(key), repl))
                continue
            if repl is None:
                problems.append("no fix: %s, expected %r" % (show(key), fix))
                continue
            fixed = text[:s] + repl + text[e:]
            expected = text[:s] + fix + text[e:]
            if fixed != expected:
                problems.append("wrong fix: %s gives %r, expected %r" % (show(key), repl, fix))
    return problems


def main(argv):
    verbose = False
    only = None
    files = []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "-v":
            verbose = True
        elif a == "-k" and args:
            only = args.pop(0)
        else:
            files.append(a)
    if not files:
        d = os.path.join(HERE, "cases")
        files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".md"))
    binary = os.environ.get("GLS_BINARY", "build/glossary-ls")

    cases = []
    for path in files:
        rule = os.path.splitext(os.path.basename(path))[0]
        if rule not in RULES:
            print("%s: not named after a rule (%s)" % (path, ", ".join(RULES)))
            return 2
        for c in split_cases(path):
            if only and only not in c.name:
                continue
            c.input, c.markers = parse_markers(c.body)
            cases.append(c)

    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print("%s: no such executable (build it with `make`, or set GLS_BINARY)" % binary)
        print("rules: 0 passed, %d failed" % len(cases))
        return 1

    results = [None] * len(cases)
    with tempfile.TemporaryDirectory(prefix="gls-rules-") as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(8, 4 * (os.cpu_count() or 2))) as pool:
            futs = {pool.submit(run_case, binary, c, tmp, i): i for i, c in enumerate(cases)}
            for fut in concurrent.futures.as_completed(futs):
                results[futs[fut]] = fut.result()

    per_rule = {}
    passed = failed = 0
    for c, problems in zip(cases, results):
        st = per_rule.setdefault(c.rule, {"fire": 0, "nofire": 0, "passed": 0, "failed": 0})
        fires = any(m[2] == c.rule for m in c.markers)
        st["fire" if fires else "nofire"] += 1
        if problems:
            failed += 1
            st["failed"] += 1
            print("FAIL %s:%d: %s%s" % (os.path.relpath(c.path), c.line, c.name,
                                        " (text)" if c.text else ""))
            for p in problems:
                print("    " + p)
            if verbose:
                for ln in c.input.rstrip("\n").split("\n"):
                    print("    | " + ln)
        else:
            passed += 1
            st["passed"] += 1
    for rule in RULES:
        if rule in per_rule:
            st = per_rule[rule]
            print("%-20s fire %3d  no-fire %3d  passed %3d  failed %3d" % (
                rule, st["fire"], st["nofire"], st["passed"], st["failed"]))
    print("rules: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
