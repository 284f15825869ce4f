#!/usr/bin/env python3
"""Validate the built-in customer-success glossary and the seed-form list.

Checks server/data/cs-glossary.json:
  * valid JSON, canonical 2-space formatting, concepts sorted by id
  * required fields (id, term, definition), kebab-case unique ids
  * abbreviation entries are strings or {"form", "ordinaryWord"?, "wellKnown"?}
  * no form (term, abbreviation, alias, avoid term) claimed twice: full forms
    compare case-insensitively, abbreviations (and acronym-shaped aliases) exactly
  * every avoid.use is a form of the same concept
  * every seeAlso id exists
  * facts: known units, min <= max, cadence / contradictingQualifiers types
  * definitions: 1-3 sentences, no trailing ellipsis, no two identical

Checks tests/data/seed-forms.tsv:
  * header "form<TAB>concept<TAB>seeds", three columns per line
  * concept exists and the form is one of its term/abbreviations/aliases
    (a trailing plural -s/-es/-ies on the seed form is tolerated)
  * seeds are comma-separated, sorted, three-digit seed numbers
  * no duplicate rows, no form mapped to two concepts
  * with --seeds DIR: every form occurs in the text of the seed files it cites

Prints per-seed form counts. Exit status 0 when there are no errors.
Python 3 standard library only.
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_JSON = os.path.join(ROOT, "server", "data", "cs-glossary.json")
DEFAULT_TSV = os.path.join(HERE, "seed-forms.tsv")

UNITS = {"percent", "score", "currency", "count", "ratio", "days", "months"}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SEEDS_RE = re.compile(r"^\d{3}(,\d{3})*$")
CONCEPT_KEYS = {"id", "term", "abbreviations", "aliases", "avoid", "definition",
                "seeAlso", "facts"}
TOP_KEYS = {"$schema", "name", "version", "concepts"}

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def looks_like_acronym(s):
    """Acronym-shaped alias (NDR, GDR, DAU/MAU, tNPS): compared case-sensitively."""
    if re.search(r"\s", s):
        return False
    letters = [ch for ch in s if ch.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper >= 2 and upper * 2 >= len(letters)


def abbr_form(entry):
    return entry["form"] if isinstance(entry, dict) else entry


def concept_forms(c):
    """Yield (form, kind, exact) for every form claimed by a concept.

    kind: term | abbreviation | alias | avoid; exact: compare case-sensitively.
    """
    yield c["term"], "term", False
    for a in c.get("abbreviations", []):
        yield abbr_form(a), "abbreviation", True
    for a in c.get("aliases", []):
        yield a, "alias", looks_like_acronym(a)
    for av in c.get("avoid", []):
        if isinstance(av, dict) and isinstance(av.get("term"), str):
            yield av["term"], "avoid", False


def form_key(form, exact):
    # Case-insensitive forms are compared as the matcher does: hyphens and
    # runs of white space are one separator ("time-to-value" = "time to value").
    if exact:
        return ("exact", form)
    return ("ci", re.sub(r"[\s\-]+", " ", form.casefold()).strip())


def count_sentences(text):
    t = text.strip()
    parts = [p for p in re.split(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9\u2212])", t) if p.strip()]
    return len(parts)


def check_glossary(path):
    try:
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
    except OSError as e:
        err(f"{path}: cannot read: {e}")
        return None
    try:
        doc = json.loads(raw)
    except ValueError as e:
        err(f"{path}: invalid JSON: {e}")
        return None

    canonical = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if raw != canonical:
        err(f"{path}: not in canonical form (2-space indent, UTF-8, trailing newline)")

    if not isinstance(doc, dict):
        err("top level must be an object")
        return None
    for k in doc:
        if k not in TOP_KEYS:
            err(f"unknown top-level key {k!r}")
    for k in ("name", "version", "concepts"):
        if k not in doc:
            err(f"missing top-level key {k!r}")
    concepts = doc.get("concepts")
    if not isinstance(concepts, list) or not concepts:
        err("'concepts' must be a non-empty list")
        return None

    ids = [c.get("id") for c in concepts if isinstance(c, dict)]
    if ids != sorted(ids, key=lambda x: x or ""):
        err("concepts are not sorted by id")

    by_id = {}
    for i, c in enumerate(concepts):
        where = f"concepts[{i}]"
        if not isinstance(c, dict):
            err(f"{where}: not an object")
            continue
        for k in c:
            if k not in CONCEPT_KEYS:
                err(f"{where}: unknown key {k!r}")
        for k in ("id", "term", "definition"):
            if not isinstance(c.get(k), str) or not c.get(k).strip():
                err(f"{where}: missing or empty {k!r}")
        cid = c.get("id")
        if isinstance(cid, str):
            where = cid
            if not ID_RE.match(cid):
                err(f"{cid}: id is not kebab-case")
            if cid in by_id:
                err(f"{cid}: duplicate id")
            by_id[cid] = c
        for k in ("abbreviations", "aliases", "avoid", "seeAlso"):
            if k in c and (not isinstance(c[k], list) or not c[k]):
                err(f"{where}: {k!r} must be a non-empty list when present")
        for a in c.get("abbreviations", []) or []:
            if isinstance(a, str):
                if not a.strip():
                    err(f"{where}: empty abbreviation")
            elif isinstance(a, dict):
                extra = set(a) - {"form", "ordinaryWord", "wellKnown"}
                if extra:
                    err(f"{where}: abbreviation object has unknown keys {sorted(extra)}")
                if not isinstance(a.get("form"), str) or not a["form"].strip():
                    err(f"{where}: abbreviation object without 'form'")
                for flag in ("ordinaryWord", "wellKnown"):
                    if flag in a and not isinstance(a[flag], bool):
                        err(f"{where}: abbreviation {flag} must be boolean")
                if not a.get("ordinaryWord") and not a.get("wellKnown"):
                    warn(f"{where}: abbreviation object {a.get('form')!r} sets no flag")
            else:
                err(f"{where}: abbreviation must be a string or object")
        for a in c.get("aliases", []) or []:
            if not isinstance(a, str) or not a.strip():
                err(f"{where}: alias must be a non-empty string")
        for av in c.get("avoid", []) or []:
            if not isinstance(av, dict) or not isinstance(av.get("term"), str) \
                    or not isinstance(av.get("use"), str):
                err(f"{where}: avoid entry needs string 'term' and 'use'")
            elif set(av) - {"term", "use", "why"}:
                err(f"{where}: avoid entry has unknown keys")
        d = c.get("definition")
        if isinstance(d, str):
            s = d.rstrip()
            if s.endswith("...") or s.endswith("\u2026"):
                err(f"{where}: definition ends with an ellipsis")
            if "..." in s:
                err(f"{where}: definition contains '...'")
            if not s.endswith((".", "!", "?", ")", "\"")):
                err(f"{where}: definition does not end with a full stop")
            n = count_sentences(s)
            if not 1 <= n <= 3:
                err(f"{where}: definition has {n} sentences (want 1-3)")

    # Form uniqueness across and within concepts.
    owner = {}
    ci_full = {}
    for c in concepts:
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            continue
        try:
            forms = list(concept_forms(c))
        except (KeyError, TypeError):
            continue
        for form, kind, exact in forms:
            key = form_key(form, exact)
            prev = owner.get(key)
            if prev is not None:
                if prev[0] == c["id"]:
                    # An avoided spelling of one of the concept's own forms
                    # ("cross sell" for "cross-sell") is a spelling rule.
                    spelling = "avoid" in (prev[1], kind) and prev[2] != form.casefold()
                    if not spelling:
                        err(f"{c['id']}: form {form!r} listed twice ({prev[1]} and {kind})")
                else:
                    err(f"form {form!r} claimed by {prev[0]} ({prev[1]}) and {c['id']} ({kind})")
            else:
                owner[key] = (c["id"], kind, form.casefold())
            if not exact:
                ci_full.setdefault(form.casefold(), (c["id"], form))
    # Case-insensitive clash between an exact form and another concept's form: warn
    # (allowed by the loader, but worth a second look: tNPS vs TNPS, MAP vs Map).
    ci_exact = {}
    for (mode, form), (cid, kind, _spelled) in owner.items():
        if mode != "exact":
            continue
        other = ci_full.get(form.casefold()) or ci_exact.get(form.casefold())
        if other and other[0] != cid:
            warn(f"{kind} {form!r} of {cid} equals {other[1]!r} of {other[0]} "
                 f"ignoring case")
        ci_exact.setdefault(form.casefold(), (cid, form))

    # avoid.use must be a form of the same concept; seeAlso must resolve.
    for c in concepts:
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            continue
        cid = c["id"]
        own = {}
        for form, kind, exact in concept_forms(c):
            if kind != "avoid":
                own[form_key(form, exact)] = kind
        for av in c.get("avoid", []) or []:
            if not isinstance(av, dict) or not isinstance(av.get("use"), str):
                continue
            use = av["use"]
            if form_key(use, False) not in own and form_key(use, True) not in own:
                err(f"{cid}: avoid {av.get('term')!r} -> use {use!r}, which is not a form of {cid}")
        seen = set()
        for ref in c.get("seeAlso", []) or []:
            if ref not in by_id:
                err(f"{cid}: seeAlso refers to unknown id {ref!r}")
            if ref == cid:
                err(f"{cid}: seeAlso refers to itself")
            if ref in seen:
                err(f"{cid}: seeAlso lists {ref!r} twice")
            seen.add(ref)

    # facts
    for c in concepts:
        if not isinstance(c, dict) or "facts" not in c:
            continue
        cid = c.get("id")
        f = c["facts"]
        if not isinstance(f, dict):
            err(f"{cid}: facts must be an object")
            continue
        extra = set(f) - {"values", "cadence", "contradictingQualifiers"}
        if extra:
            err(f"{cid}: facts has unknown keys {sorted(extra)}")
        if not f.get("values") and not f.get("cadence"):
            err(f"{cid}: facts needs values or a cadence")
        for v in f.get("values", []):
            if not isinstance(v, dict) or v.get("unit") not in UNITS:
                err(f"{cid}: facts value with unknown unit: {v!r}")
                continue
            if set(v) - {"unit", "min", "max"}:
                err(f"{cid}: facts value has unknown keys: {v!r}")
            lo, hi = v.get("min"), v.get("max")
            for b in (lo, hi):
                if b is not None and (isinstance(b, bool) or not isinstance(b, (int, float))):
                    err(f"{cid}: facts bound is not a number: {v!r}")
            if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
                err(f"{cid}: facts min > max: {v!r}")
        if "cadence" in f and (not isinstance(f["cadence"], str) or not f["cadence"]):
            err(f"{cid}: cadence must be a non-empty string")
        cq = f.get("contradictingQualifiers", [])
        if not isinstance(cq, list) or not all(isinstance(q, str) and q for q in cq):
            err(f"{cid}: contradictingQualifiers must be a list of strings")

    # Distinct definitions.
    seen_def = {}
    for c in concepts:
        if not isinstance(c, dict) or not isinstance(c.get("definition"), str):
            continue
        key = " ".join(c["definition"].split()).casefold()
        if key in seen_def:
            err(f"{c.get('id')}: definition identical to {seen_def[key]}")
        seen_def[key] = c.get("id")

    return by_id


def plural_candidates(form):
    yield form
    if form.endswith("ies") and len(form) > 4:
        yield form[:-3] + "y"
    if form.endswith("es") and len(form) > 3:
        yield form[:-2]
    if form.endswith("s") and len(form) > 2:
        yield form[:-1]


def matches_concept(form, c):
    own = {}
    for f, kind, exact in concept_forms(c):
        if kind == "avoid":
            continue
        own[form_key(f, exact)] = f
    for cand in plural_candidates(form):
        for exact in (True, False):
            if form_key(cand, exact) in own:
                return own[form_key(cand, exact)]
    return None


def load_seed_texts(seeds_dir):
    texts = {}
    for name in sorted(os.listdir(seeds_dir)):
        m = re.match(r"^(\d{3})_.*\.txt$", name)
        if not m:
            continue
        with open(os.path.join(seeds_dir, name), encoding="utf-8") as fh:
            raw = fh.read()
        # Also match "Single Sign-On (SSO) Integration" as "Single Sign-On Integration".
        stripped = re.sub(r"[ \t]*\([^)\n]*\)", "", raw)
        texts[m.group(1)] = (raw, stripped)
    return texts


def check_tsv(path, by_id, seeds_dir=None):
    counts = {}
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    except OSError as e:
        err(f"{path}: cannot read: {e}")
        return counts
    if lines and lines[-1] == "":
        lines.pop()
    else:
        err(f"{path}: missing trailing newline")
    if not lines or lines[0] != "form\tconcept\tseeds":
        err(f"{path}: first line must be the header 'form<TAB>concept<TAB>seeds'")
        return counts
    texts = load_seed_texts(seeds_dir) if seeds_dir else None
    rows = set()
    form_owner = {}
    for n, line in enumerate(lines[1:], start=2):
        where = f"{os.path.basename(path)}:{n}"
        cols = line.split("\t")
        if len(cols) != 3:
            err(f"{where}: expected 3 tab-separated columns, got {len(cols)}")
            continue
        form, cid, seeds = cols
        if not form or form != form.strip():
            err(f"{where}: empty form or stray whitespace")
        if (form, cid) in rows:
            err(f"{where}: duplicate row {form!r} -> {cid}")
        rows.add((form, cid))
        if form in form_owner and form_owner[form] != cid:
            err(f"{where}: form {form!r} mapped to both {form_owner[form]} and {cid}")
        form_owner.setdefault(form, cid)
        if not SEEDS_RE.match(seeds):
            err(f"{where}: bad seeds column {seeds!r}")
            continue
        seed_list = seeds.split(",")
        if seed_list != sorted(set(seed_list)):
            err(f"{where}: seeds not sorted/unique: {seeds!r}")
        for s in seed_list:
            counts[s] = counts.get(s, 0) + 1
        c = by_id.get(cid) if by_id else None
        if c is None:
            err(f"{where}: unknown concept {cid!r}")
            continue
        if matches_concept(form, c) is None:
            err(f"{where}: {form!r} is not a form of {cid}")
        if texts is not None:
            for s in seed_list:
                if s not in texts:
                    err(f"{where}: no seed file for {s}")
                elif form not in texts[s][0] and form not in texts[s][1]:
                    err(f"{where}: {form!r} not found in seed {s}")
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glossary", default=DEFAULT_JSON)
    ap.add_argument("--forms", default=DEFAULT_TSV)
    ap.add_argument("--seeds", help="directory with NNN_*.txt seed pages (optional)")
    args = ap.parse_args()

    by_id = check_glossary(args.glossary)
    counts = check_tsv(args.forms, by_id or {}, args.seeds)

    if by_id:
        n_forms = sum(1 for c in by_id.values() for _ in concept_forms(c))
        n_avoid = sum(len(c.get("avoid", [])) for c in by_id.values())
        n_facts = sum(1 for c in by_id.values() if "facts" in c)
        print(f"glossary: {len(by_id)} concepts, {n_forms} forms "
              f"({n_avoid} avoid), {n_facts} with facts")
    try:
        with open(args.forms, encoding="utf-8") as fh:
            n_rows = sum(1 for _ in fh) - 1
    except OSError:
        n_rows = 0
    print(f"seed forms: {n_rows} distinct forms")
    for s in sorted(counts):
        print(f"  seed {s}: {counts[s]} forms")
    for w in warnings:
        print(f"warning: {w}")
    for e in errors:
        print(f"error: {e}")
    print("OK" if not errors else f"FAILED: {len(errors)} error(s)")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
