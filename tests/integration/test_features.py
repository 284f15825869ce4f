"""Hover, diagnostics (push and pull), quick fixes and completion over
stdio against the built-in glossary."""

import os
import unittest

from lsp import Server, range_

URI = "file:///tmp/playbook.md"


def pos_of(text, needle, nth=0, encoding="utf-16"):
    """(line, character) of the nth occurrence of 'needle'."""
    idx = -1
    for _ in range(nth + 1):
        idx = text.index(needle, idx + 1)
    line = text.count("\n", 0, idx)
    col_text = text[text.rfind("\n", 0, idx) + 1:idx]
    if encoding == "utf-8":
        col = len(col_text.encode("utf-8"))
    elif encoding == "utf-16":
        col = len(col_text.encode("utf-16-le")) // 2
    else:
        col = len(col_text)
    return line, col


def apply_edits(text, edits):
    """Applies LSP TextEdits (utf-16 positions) to 'text'."""
    lines = text.split("\n")

    def off(p):
        o = sum(len(l) + 1 for l in lines[:p["line"]])
        units = 0
        for i, ch in enumerate(lines[p["line"]]):
            if units >= p["character"]:
                return o + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return o + len(lines[p["line"]])

    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                          e["range"]["start"]["character"]), reverse=True):
        a, b = off(e["range"]["start"]), off(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
    return text


DOC = """# Renewal playbook

Our GRR of 112% is a problem. Prepare the annual QBR deck.
The customer lifetime value (CLV) matters; finance calls it CLTV too.
Escalate to the exec sponsor if the nrr drops. The ZQX metric is new.
"""


class Hover(unittest.TestCase):
    def test_hover_forms(self):
        with Server() as s:
            s.initialize()
            s.open(URI, "The CSM's QBRs track Net Revenue\nRetention (NRR) and `NPS`.\n")
            text = "The CSM's QBRs track Net Revenue\nRetention (NRR) and `NPS`.\n"
            for needle, title in (("CSM's", "Customer Success Manager"),
                                  ("QBRs", "Quarterly Business Review"),
                                  ("Revenue", "Net Revenue Retention"),
                                  ("Retention", "Net Revenue Retention")):
                l, c = pos_of(text, needle)
                r = s.call("textDocument/hover", {"textDocument": {"uri": URI},
                                                  "position": {"line": l, "character": c + 1}})
                self.assertIsNotNone(r, needle)
                self.assertIn(title, r["contents"]["value"])
                self.assertEqual(r["contents"]["kind"], "markdown")
            # The wrapped term's range spans both lines.
            l, c = pos_of(text, "Retention")
            r = s.call("textDocument/hover", {"textDocument": {"uri": URI},
                                              "position": {"line": l, "character": c}})
            self.assertEqual(r["range"], range_(0, 21, 1, 9))
            # Inside a code span: nothing.
            l, c = pos_of(text, "NPS")
            self.assertIsNone(s.call("textDocument/hover", {
                "textDocument": {"uri": URI}, "position": {"line": l, "character": c + 1}}))
            s.shutdown_and_exit()

    def test_plaintext_hover_and_avoid(self):
        with Server() as s:
            s.initialize(capabilities={"textDocument": {"hover": {
                "contentFormat": ["plaintext"]}}})
            s.open(URI, "Our NPS score rose.")
            r = s.call("textDocument/hover", {"textDocument": {"uri": URI},
                                              "position": {"line": 0, "character": 6}})
            self.assertEqual(r["contents"]["kind"], "plaintext")
            self.assertIn("Avoid", r["contents"]["value"])
            self.assertIn("NPS", r["contents"]["value"])
            self.assertNotIn("**", r["contents"]["value"])
            s.shutdown_and_exit()

    def test_hover_disabled_by_setting(self):
        with Server() as s:
            s.initialize(init_options={"hover": False})
            s.open(URI, "Our NRR rose.")
            self.assertIsNone(s.call("textDocument/hover", {
                "textDocument": {"uri": URI}, "position": {"line": 0, "character": 5}}))
            s.shutdown_and_exit()


class Diagnostics(unittest.TestCase):
    def diags(self, s, version=None):
        return s.notification("textDocument/publishDiagnostics",
                              pred=lambda m: m["params"]["uri"] == URI and (
                                  version is None or m["params"]["version"] == version))["params"]

    def test_push_on_open_and_after_edit(self):
        with Server() as s:
            s.initialize(init_options={"debounceMs": 20})
            s.open(URI, DOC, version=1)
            p = self.diags(s, 1)
            codes = sorted(d["code"] for d in p["diagnostics"])
            for code in ("metric-misuse", "inconsistent-term", "avoid-term", "acronym-case",
                         "undefined-acronym", "expand-on-first-use"):
                self.assertIn(code, codes)
            for d in p["diagnostics"]:
                self.assertEqual(d["source"], "glossary-ls")
                href = d["codeDescription"]["href"]
                self.assertTrue(href.startswith("file://") and href.endswith(d["code"] + ".md"))
                self.assertTrue(os.path.exists(href[len("file://"):]), href)
                self.assertIn(d["severity"], (1, 2, 3, 4))
                self.assertIn("rule", d["data"])
            incons = [d for d in p["diagnostics"] if d["code"] == "inconsistent-term"][0]
            self.assertEqual(incons["relatedInformation"][0]["location"]["uri"], URI)
            # Fix the metric: after the edit the finding is gone, version 2.
            l, c = pos_of(DOC, "112%")
            s.change(URI, 2, [{"range": range_(l, c, l, c + 4), "text": "95%"}])
            p2 = self.diags(s, 2)
            self.assertNotIn("GRR of 112%", " ".join(d["message"] for d in p2["diagnostics"]))
            s.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
            p3 = self.diags(s)
            self.assertEqual(p3["diagnostics"], [])
            s.shutdown_and_exit()

    def test_rule_settings(self):
        with Server() as s:
            s.initialize(init_options={"rules": {"undefined-acronym": "off",
                                                 "avoid-term": "error"}})
            s.open(URI, DOC, version=1)
            p = self.diags(s, 1)
            codes = [d["code"] for d in p["diagnostics"]]
            self.assertNotIn("undefined-acronym", codes)
            avoid = [d for d in p["diagnostics"] if d["code"] == "avoid-term"]
            self.assertEqual(avoid[0]["severity"], 1)
            s.shutdown_and_exit()

    def test_pull_when_client_supports_it(self):
        with Server() as s:
            r = s.initialize(capabilities={"textDocument": {"diagnostic": {}}})
            self.assertIn("diagnosticProvider", r["capabilities"])
            s.open(URI, DOC)
            rep = s.call("textDocument/diagnostic", {"textDocument": {"uri": URI}})
            self.assertEqual(rep["kind"], "full")
            self.assertTrue(any(d["code"] == "metric-misuse" for d in rep["items"]))
            ws = s.call("workspace/diagnostic", {"previousResultIds": []})
            self.assertEqual(ws["items"][0]["uri"], URI)
            # No push happened.
            st = s.call("glossaryLs/status")
            self.assertFalse(any(m.get("method") == "textDocument/publishDiagnostics"
                                 for m in s.other))
            s.shutdown_and_exit()


class CodeActions(unittest.TestCase):
    def test_quick_fixes_apply(self):
        with Server() as s:
            s.initialize(capabilities={"textDocument": {"diagnostic": {}}})
            s.open(URI, DOC)
            items = s.call("textDocument/diagnostic", {"textDocument": {"uri": URI}})["items"]
            by_code = {}
            for d in items:
                by_code.setdefault(d["code"], d)
            expect = {"avoid-term": "exec sponsor", "acronym-case": "nrr",
                      "inconsistent-term": "CLTV"}
            for code, written in expect.items():
                d = by_code[code]
                acts = s.call("textDocument/codeAction", {
                    "textDocument": {"uri": URI}, "range": d["range"],
                    "context": {"diagnostics": [d]}})
                fix = [a for a in acts if a.get("isPreferred")][0]
                self.assertEqual(fix["kind"], "quickfix")
                new = apply_edits(DOC, fix["edit"]["changes"][URI])
                self.assertNotIn(written, new.split("Escalate")[1] if code != "inconsistent-term"
                                 else new.split("finance")[1])
            self.assertIn("executive sponsor", apply_edits(DOC, s.call("textDocument/codeAction", {
                "textDocument": {"uri": URI}, "range": by_code["avoid-term"]["range"],
                "context": {"diagnostics": [by_code["avoid-term"]]}})[0]["edit"]["changes"][URI]))
            # source.fixAll returns one edit set for the whole document.
            acts = s.call("textDocument/codeAction", {
                "textDocument": {"uri": URI}, "range": range_(0, 0, 0, 0),
                "context": {"diagnostics": [], "only": ["source.fixAll"]}})
            self.assertEqual(acts[0]["kind"], "source.fixAll")
            fixed = apply_edits(DOC, acts[0]["edit"]["changes"][URI])
            self.assertIn("NRR", fixed)
            self.assertIn("executive sponsor", fixed)
            s.shutdown_and_exit()

    def test_bad_params(self):
        with Server() as s:
            s.initialize()
            r = s.request("textDocument/codeAction", {"textDocument": {"uri": URI}})
            self.assertEqual(r["error"]["code"], -32602)
            s.shutdown_and_exit()


class Completion(unittest.TestCase):
    def complete(self, s, text, needle):
        l, c = pos_of(text, needle)
        c += len(needle)
        return s.call("textDocument/completion", {"textDocument": {"uri": URI},
                                                  "position": {"line": l, "character": c}})

    def test_first_use_then_acronym(self):
        with Server() as s:
            s.initialize()
            text = "We track nr"
            s.open(URI, text)
            res = self.complete(s, text, "nr")
            top = res["items"][0]
            self.assertEqual(top["textEdit"]["newText"], "Net Revenue Retention (NRR)")
            self.assertEqual(top["textEdit"]["range"], range_(0, 9, 0, 11))
            text2 = "Net Revenue Retention (NRR) is key. Later NR"
            s.change(URI, 2, [{"text": text2}])
            res = self.complete(s, text2, "Later NR")
            top = res["items"][0]
            self.assertEqual(top["label"], "NRR")
            self.assertEqual(top["textEdit"]["newText"], "NRR")
            s.shutdown_and_exit()

    def test_multiword_prefix_and_not_in_code(self):
        with Server() as s:
            s.initialize()
            text = "The net rev\n\n`net rev` and\n\n```\nnet rev\n```\n"
            s.open(URI, text)
            res = self.complete(s, text, "The net rev")
            self.assertTrue(any(i["label"] == "Net Revenue Retention" for i in res["items"]))
            r0 = [i for i in res["items"] if i["label"] == "Net Revenue Retention"][0]
            self.assertEqual(r0["textEdit"]["range"], range_(0, 4, 0, 11))
            res = self.complete(s, text, "`net rev")   # inside a code span
            self.assertEqual(res["items"], [])
            res = self.complete(s, text, "\nnet rev")  # inside a fenced block
            self.assertEqual(res["items"], [])
            text = "Voice of the customer: vo"
            s.change(URI, 2, [{"text": text}])
            res = self.complete(s, text, ": vo")
            self.assertTrue(any("Voice of" in i["label"] for i in res["items"]))
            s.shutdown_and_exit()

    def test_resolve(self):
        with Server() as s:
            s.initialize()
            item = {"label": "NRR", "data": {"concept": "net-revenue-retention"}}
            r = s.call("completionItem/resolve", item)
            self.assertIn("Net Revenue Retention", r["documentation"]["value"])
            s.shutdown_and_exit()


if __name__ == "__main__":
    unittest.main()


class HintsAndTokens(unittest.TestCase):
    TEXT = "Our NRR grew while GRR held.\nThe Net Revenue\nRetention (NRR) is defined here.\nQBRs run.\n"

    def test_inlay_hints_off_by_default_then_on(self):
        with Server() as s:
            r = s.initialize()
            self.assertTrue(r["capabilities"]["inlayHintProvider"])
            s.open(URI, self.TEXT)
            whole = range_(0, 0, 10, 0)
            self.assertEqual(s.call("textDocument/inlayHint", {
                "textDocument": {"uri": URI}, "range": whole}), [])
            s.shutdown_and_exit()
        with Server() as s:
            s.initialize(init_options={"inlayHints": True})
            s.open(URI, self.TEXT)
            hints = s.call("textDocument/inlayHint", {"textDocument": {"uri": URI},
                                                      "range": range_(0, 0, 10, 0)})
            labels = {h["label"]: h["position"] for h in hints}
            # NRR is spelled out later in the document: no hint. GRR and QBR are not.
            self.assertEqual(sorted(labels), [" (Gross Revenue Retention)",
                                              " (Quarterly Business Review)"])
            self.assertEqual(labels[" (Gross Revenue Retention)"], {"line": 0, "character": 22})
            # Only hints inside the requested range.
            hints = s.call("textDocument/inlayHint", {"textDocument": {"uri": URI},
                                                      "range": range_(3, 0, 3, 9)})
            self.assertEqual([h["label"] for h in hints], [" (Quarterly Business Review)"])
            s.shutdown_and_exit()

    def test_semantic_tokens(self):
        with Server() as s:
            r = s.initialize()
            self.assertNotIn("semanticTokensProvider", r["capabilities"])
            s.shutdown_and_exit()
        with Server() as s:
            r = s.initialize(init_options={"semanticTokens": True})
            legend = r["capabilities"]["semanticTokensProvider"]["legend"]
            self.assertEqual(legend["tokenTypes"], ["glossaryTerm"])
            s.open(URI, self.TEXT)
            data = s.call("textDocument/semanticTokens/full",
                          {"textDocument": {"uri": URI}})["data"]
            self.assertEqual(len(data) % 5, 0)
            # Decode to absolute (line, start, length).
            toks, line, ch = [], 0, 0
            for i in range(0, len(data), 5):
                dl, dc, ln = data[i], data[i + 1], data[i + 2]
                line += dl
                ch = dc if dl else ch + dc
                toks.append((line, ch, ln, data[i + 4]))
            self.assertIn((0, 4, 3, 1), toks)        # NRR, an abbreviation
            self.assertIn((1, 4, 11, 0), toks)       # "Net Revenue" on line 1
            self.assertIn((2, 0, 9, 0), toks)        # "Retention" continues on line 2
            self.assertIn((3, 0, 4, 1), toks)        # QBRs
            s.shutdown_and_exit()


class LocalDefinitions(unittest.TestCase):
    def hover_text(self, text, needle, nth=0):
        with Server() as s:
            s.initialize()
            s.open(URI, text)
            l, c = pos_of(text, needle, nth)
            r = s.call("textDocument/hover", {"textDocument": {"uri": URI},
                                              "position": {"line": l, "character": c + 1}})
            s.shutdown_and_exit()
            return r["contents"]["value"] if r else None

    def test_written_out(self):
        v = self.hover_text("Our net revenue retention (NRR) grew. The NRR is 110%.\n", "NRR", 1)
        self.assertIn("Defined in this document as:* net revenue retention", v)

    def test_abbreviation_line(self):
        v = self.hover_text("The QBR is next week.\n\n*[QBR]: Quarterly Business Review, our way\n",
                            "QBR")
        self.assertIn("Quarterly Business Review, our way", v)

    def test_not_defined(self):
        v = self.hover_text("The NRR is 110%.\n", "NRR")
        self.assertNotIn("Defined in this document", v)
