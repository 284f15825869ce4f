"""Document sync over stdio: didOpen/didChange/didClose/didSave, full and
incremental changes in each position encoding, clamping of out-of-range
positions, and a randomized differential test against a Python model."""

import random
import unittest

from lsp import Server, range_

URI = "file:///tmp/doc.md"


def units(ch, enc):
    if enc == "utf-8":
        return len(ch.encode("utf-8"))
    if enc == "utf-16":
        return 2 if ord(ch) >= 0x10000 else 1
    return 1


def split_lines(text):
    """Lines with their terminators, as LSP counts them (\\n, \\r\\n, \\r)."""
    lines, cur, i = [], "", 0
    while i < len(text):
        c = text[i]
        if c == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            lines.append(cur + "\r\n")
            cur = ""
            i += 2
            continue
        cur += c
        if c in "\r\n":
            lines.append(cur)
            cur = ""
        i += 1
    lines.append(cur)
    return lines


def offset(text, line, character, enc):
    """The model's position -> string index, clamping as the server promises."""
    lines = split_lines(text)
    if line >= len(lines):
        return len(text)
    start = sum(len(l) for l in lines[:line])
    content = lines[line].rstrip("\r\n") if line < len(lines) - 1 else lines[line]
    u = 0
    i = 0
    while i < len(content) and u < character:
        n = units(content[i], enc)
        if u + n > character:
            break
        u += n
        i += 1
    return start + i


def apply(text, r, new, enc):
    a = offset(text, r["start"]["line"], r["start"]["character"], enc)
    b = offset(text, r["end"]["line"], r["end"]["character"], enc)
    if b < a:
        a, b = b, a
    return text[:a] + new + text[b:]


class Sync(unittest.TestCase):
    def session(self, encodings=None):
        s = Server()
        r = s.initialize(encodings=encodings)
        return s, r["capabilities"]["positionEncoding"]

    def test_open_change_close(self):
        s, enc = self.session()
        with s:
            s.open(URI, "hello\nworld\n", version=3)
            d = s.document(URI)
            self.assertEqual((d["text"], d["version"], d["languageId"], d["lineCount"]),
                             ("hello\nworld\n", 3, "markdown", 3))
            s.change(URI, 4, [{"range": range_(0, 0, 0, 5), "text": "HELLO"}])
            s.change(URI, 5, [{"text": "full replacement"}])
            d = s.document(URI)
            self.assertEqual((d["text"], d["version"]), ("full replacement", 5))
            s.notify("textDocument/didSave", {"textDocument": {"uri": URI}})
            s.notify("textDocument/didClose", {"textDocument": {"uri": URI}})
            r = s.request("glossaryLs/documentState", {"textDocument": {"uri": URI}})
            self.assertEqual(r["error"]["code"], -32803)
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_emoji_and_cjk_utf16(self):
        s, enc = self.session()
        self.assertEqual(enc, "utf-16")
        with s:
            s.open(URI, "a😀b 漢字 c\n")
            # utf-16: 'a'=1, 😀=2, 'b'=1 -> 'b' starts at 3; 漢 at 5, 字 at 6.
            s.change(URI, 2, [{"range": range_(0, 3, 0, 4), "text": "B"}])
            s.change(URI, 3, [{"range": range_(0, 6, 0, 7), "text": "語"}])
            self.assertEqual(s.document(URI)["text"], "a😀B 漢語 c\n")
            # Inside the surrogate pair: snapped to the start of the emoji.
            s.change(URI, 4, [{"range": range_(0, 2, 0, 2), "text": "|"}])
            self.assertEqual(s.document(URI)["text"], "a|😀B 漢語 c\n")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_emoji_and_cjk_utf8(self):
        s, enc = self.session(["utf-8"])
        self.assertEqual(enc, "utf-8")
        with s:
            s.open(URI, "a😀b 漢字 c\n")
            # utf-8: 'a'=1, 😀=4, 'b' at 5; ' ' at 6; 漢 at 7..10, 字 at 10..13.
            s.change(URI, 2, [{"range": range_(0, 5, 0, 6), "text": "B"}])
            s.change(URI, 3, [{"range": range_(0, 10, 0, 13), "text": "語"}])
            self.assertEqual(s.document(URI)["text"], "a😀B 漢語 c\n")
            # Inside the 4-byte emoji: snapped to its start.
            s.change(URI, 4, [{"range": range_(0, 3, 0, 3), "text": "|"}])
            self.assertEqual(s.document(URI)["text"], "a|😀B 漢語 c\n")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_utf32(self):
        s, enc = self.session(["utf-32"])
        self.assertEqual(enc, "utf-32")
        with s:
            s.open(URI, "😀😀x")
            s.change(URI, 2, [{"range": range_(0, 2, 0, 3), "text": "y"}])
            self.assertEqual(s.document(URI)["text"], "😀😀y")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_out_of_range_positions_are_clamped(self):
        s, enc = self.session()
        with s:
            s.open(URI, "ab\r\ncd")
            s.change(URI, 2, [{"range": range_(0, 99, 0, 99), "text": "X"}])  # end of line 0
            s.change(URI, 3, [{"range": range_(50, 0, 60, 0), "text": "Y"}])  # end of text
            s.change(URI, 4, [{"range": range_(1, 1, 0, 1), "text": "Z"}])    # reversed
            s.change(URI, 5, [{"range": range_(-3, -1, 0, 0), "text": "W"}])  # negative -> 0
            s.change(URI, 6, [{"range": range_(2**40, 0, 2**40, 2**40), "text": "V"}])
            self.assertEqual(s.document(URI)["text"], "WaZd" + "YV")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_edit_overlapping_end(self):
        s, enc = self.session()
        with s:
            s.open(URI, "line one\nline two")
            s.change(URI, 2, [{"range": range_(1, 5, 9, 0), "text": "2\nline three"}])
            self.assertEqual(s.document(URI)["text"], "line one\nline 2\nline three")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_malformed_changes(self):
        s, enc = self.session()
        with s:
            s.open(URI, "abc")
            s.change(URI, 2, [{"range": {"start": {"line": "x"}}, "text": "BAD"},
                              {"range": range_(0, 0, 0, 1), "text": "A"},
                              {"text": 5}, 17])
            self.assertEqual(s.document(URI)["text"], "Abc")
            self.assertEqual(s.shutdown_and_exit(), 0)
            self.assertIn(b"malformed", bytes(s.stderr))  # complete once the process ended

    def test_change_before_open_and_duplicate_open(self):
        s, enc = self.session()
        with s:
            s.change(URI, 1, [{"text": "x"}])
            r = s.request("glossaryLs/documentState", {"textDocument": {"uri": URI}})
            self.assertEqual(r["error"]["code"], -32803)
            s.open(URI, "first")
            s.open(URI, "second", version=7)
            d = s.document(URI)
            self.assertEqual((d["text"], d["version"]), ("second", 7))
            self.assertEqual(len(s.call("glossaryLs/status")["documents"]), 1)
            s.notify("textDocument/didClose", {"textDocument": {"uri": "file:///never"}})
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_nul_and_control_characters(self):
        s, enc = self.session()
        with s:
            s.open(URI, "a\u0000b\u0001c")
            s.change(URI, 2, [{"range": range_(0, 1, 0, 2), "text": "-"}])
            self.assertEqual(s.document(URI)["text"], "a-b\u0001c")
            self.assertEqual(s.shutdown_and_exit(), 0)

    def differential(self, encodings, seed, edits):
        rng = random.Random(seed)
        alphabet = ["a", "b", " ", "\n", "\r\n", "\r", "é", "漢", "😀", "x\ny"]
        s, enc = self.session(encodings)
        with s:
            text = "start 😀\r\nsecond 漢字\rthird\n"
            s.open(URI, text)
            version = 1
            for i in range(edits):
                lines = len(split_lines(text))
                def pos():
                    return rng.randrange(lines + 2), rng.randrange(12)
                sl, sc = pos()
                el, ec = pos()
                if rng.random() < 0.7 and (el, ec) < (sl, sc):
                    sl, sc, el, ec = el, ec, sl, sc
                new = "".join(rng.choice(alphabet) for _ in range(rng.randrange(4)))
                batch = [{"range": range_(sl, sc, el, ec), "text": new}]
                text = apply(text, batch[0]["range"], new, enc)
                if rng.random() < 0.3:  # several changes in one notification
                    sl2, sc2 = pos()
                    batch.append({"range": range_(sl2, sc2, sl2, sc2), "text": "Q"})
                    text = apply(text, batch[1]["range"], "Q", enc)
                version += 1
                s.change(URI, version, batch)
                if i % 50 == 49:
                    self.assertEqual(s.document(URI)["text"], text, "after edit %d" % i)
            d = s.document(URI)
            self.assertEqual(d["text"], text)
            self.assertEqual(d["version"], version)
            self.assertEqual(d["lineCount"], len(split_lines(text)))
            self.assertEqual(s.shutdown_and_exit(), 0)

    def test_random_edits_utf16(self):
        self.differential(None, 1, 1500)

    def test_random_edits_utf8(self):
        self.differential(["utf-8"], 2, 1500)

    def test_random_edits_utf32(self):
        self.differential(["utf-32"], 3, 1000)


if __name__ == "__main__":
    unittest.main()
