"""Deterministic benchmark corpus for tests/bench/peers.py (standard library only).

Writes into an output directory:
  doc-100k.md, doc-1m.md, doc-10m.md   customer-success Markdown (front matter,
                                       headings, paragraphs, fenced code, tables, links)
  terms-10k.json, terms-100k.json      synthetic glossaries in glossary-ls's native format
  <set>.cspell.json, <set>.textlint.json, <set>.prh.yml, <set>.markdownlint.json
                                       the same avoid -> use pairs in each peer's format
for the sets "builtin" (from `glossary-ls glossary export --format json`), "10k" and "100k".

Every avoid form is one lowercase word (so cspell's flagWords can hold it) and
maps to exactly one preferred term: each peer is asked the same question."""

import json
import os
import random
import subprocess
import sys

SEED = 20261207
SYLLABLES = ["ba", "cor", "dex", "fin", "gal", "hul", "jor", "kep", "lum", "mar",
             "nev", "pol", "quin", "ros", "sul", "tav", "vex", "wim", "yor", "zan"]

SENTENCES = [
    "The CSM reviews Net Revenue Retention (NRR) with the champion before each QBR.",
    "Our churn rate fell after the onboarding program was redesigned.",
    "A customer health score combines product usage, support tickets and NPS.",
    "Expansion revenue from upsell and cross-sell lifted NRR above 100%.",
    "Gross Revenue Retention (GRR) shows the revenue kept before any expansion.",
    "The renewal forecast lists every account whose contract ends this quarter.",
    "Plain sentences without any glossary words make up much of a real document.",
    "Time to value shrinks when the kickoff call sets clear success criteria.",
]


def synthetic_terms(count, seed):
    """count distinct (term, avoid) pairs; term is two capitalised words, avoid their
    lowercase concatenation with a doubled letter (a plausible typo)."""
    rng = random.Random(seed)
    seen, pairs = set(), []
    while len(pairs) < count:
        words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
                 for _ in range(2)]
        avoid = words[0] + words[1][0] + words[1]
        if avoid in seen:
            continue
        seen.add(avoid)
        pairs.append((" ".join(w.capitalize() for w in words), avoid))
    return pairs


def native_glossary(pairs, name):
    concepts = []
    for i, (term, avoid) in enumerate(pairs):
        concepts.append({"id": "syn-%d" % i, "term": term,
                         "definition": "Synthetic benchmark concept %d." % i,
                         "avoid": [avoid]})  # an avoided form suggests the term
    return {"name": name, "version": 1, "concepts": concepts}


def builtin_pairs(binary):
    """The avoid -> use pairs of the built-in glossary, from its JSON export, keeping
    single-word avoid forms (multi-word ones cannot be a cspell flag word)."""
    out = subprocess.run([binary, "glossary", "export", "--format", "json"],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    pairs, forms = [], 0
    for concept in data["concepts"]:
        forms += 1 + len(concept.get("aliases", [])) + len(concept.get("abbreviations", []))
        for entry in concept.get("avoid", []):
            bad = entry if isinstance(entry, str) else entry["term"]
            good = concept["term"] if isinstance(entry, str) else entry.get("use", concept["term"])
            forms += 1
            pairs.append((good, bad))
    return pairs, forms, data


def document(size, avoid_sets, seed):
    """avoid_sets: lists of avoided forms; each section writes one, from a set
    picked uniformly, so every term set finds about as many."""
    rng = random.Random(seed)
    parts = ["---\ntitle: Customer success handbook\nowner: cs-ops\ntags: [churn, NRR, QBR]\n---\n\n"]
    n, section = len(parts[0]), 0
    while n < size:
        section += 1
        para = " ".join(rng.choice(SENTENCES) for _ in range(5))
        bad = rng.choice(rng.choice(avoid_sets))
        block = ("## Section %d: health score review\n\n%s The team wrote %s in the notes.\n\n"
                 "See the [renewal playbook](https://example.com/playbook/%d) for the QBR agenda.\n\n"
                 % (section, para, bad, section))
        if section % 5 == 0:
            block += ("| Metric | Target |\n|---|---|\n| NRR | 110%% |\n| churn | < 5%% |\n\n"
                      "```sql\nSELECT account, health_score FROM accounts WHERE churn_risk > %d;\n```\n\n"
                      % section)
        parts.append(block)
        n += len(block)
    return "".join(parts)


def peer_files(pairs, outdir, label):
    words = sorted({good for good, _ in pairs})
    with open(os.path.join(outdir, label + ".cspell.json"), "w") as f:
        json.dump({"version": "0.2", "language": "en",
                   "words": sorted({w for good in words for w in good.split()}),
                   "flagWords": ["%s->%s" % (bad, good) for good, bad in pairs]}, f, indent=1)
    with open(os.path.join(outdir, label + ".textlint.json"), "w") as f:
        json.dump([[bad, good] for good, bad in pairs], f, indent=1)
    with open(os.path.join(outdir, label + ".textlintrc.json"), "w") as f:
        json.dump({"rules": {"terminology": {"defaultTerms": False,
                   "terms": os.path.abspath(os.path.join(outdir, label + ".textlint.json"))}}}, f)
    with open(os.path.join(outdir, label + ".prh.yml"), "w") as f:
        f.write("version: 1\nrules:\n")
        for good, bad in pairs:
            # As a /regex/: prh escapes '-' in string patterns, which its
            # 'u' flag then rejects ("a-ha moment").
            rx = "/" + "".join("\\" + ch if ch in ".*+?^${}()|[]\\/" else ch for ch in bad) + "/"
            f.write("  - expected: %s\n    patterns:\n      - %s\n" % (json.dumps(good), json.dumps(rx)))
    with open(os.path.join(outdir, label + ".prhrc.json"), "w") as f:
        json.dump({"rules": {"prh": {"rulePaths": [os.path.abspath(os.path.join(outdir, label + ".prh.yml"))]}}}, f)
    # MD044 only knows right spellings: it flags case variants of each name.
    with open(os.path.join(outdir, label + ".markdownlint-cli2.jsonc"), "w") as f:
        json.dump({"config": {"default": False,
                              "MD044": {"names": words, "code_blocks": False}}}, f, indent=1)


def main(outdir, binary):
    os.makedirs(outdir, exist_ok=True)
    sets = {}
    bpairs, bforms, _ = builtin_pairs(binary)
    sets["builtin"] = bpairs
    for label, count in (("10k", 10000), ("100k", 100000)):
        pairs = synthetic_terms(count, SEED + count)
        sets[label] = pairs
        with open(os.path.join(outdir, "terms-%s.json" % label), "w") as f:
            json.dump(native_glossary(pairs, "Synthetic %s" % label), f)
    for label, pairs in sets.items():
        peer_files(pairs, outdir, label)
    # Documents use avoid forms of every set, about equally often, so every
    # row finds about as many and rows differ by the glossary's size only.
    avoid = [[bad for _, bad in bpairs if " " not in bad],
             [bad for _, bad in sets["10k"][:200]], [bad for _, bad in sets["100k"][:200]]]
    for name, size in (("100k", 100_000), ("1m", 1_000_000), ("10m", 10_000_000)):
        with open(os.path.join(outdir, "doc-%s.md" % name), "w") as f:
            f.write(document(size, avoid, SEED))
    info = {"builtin_pairs": len(bpairs), "builtin_forms": bforms}
    with open(os.path.join(outdir, "info.json"), "w") as f:
        json.dump(info, f)
    return info


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: corpus.py OUTDIR GLOSSARY_LS_BINARY")
    print(main(sys.argv[1], sys.argv[2]))
