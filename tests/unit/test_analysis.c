/* test_analysis.c: incremental re-analysis equals analysis from scratch,
 * under thousands of random edits to Markdown documents. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gls/analysis.h"
#include "gls/document.h"
#include "gls/loader.h"

static gls_glossary_t *builtin(void)
{
    gls_builder_t *b = gls_builder_new("built-in");
    gls_load_builtin(b);
    return gls_builder_freeze(b);
}

static const char *pieces[] = {
    "# Renewal playbook\n\n",
    "Our Net Revenue Retention (NRR) rose while GRR held.\n",
    "The CSM's QBRs cover time-to-value and churn.\n\n",
    "- a list item about Customer Health Score\n- another about NPS\n",
    "> a quote about Voice of the Customer\n> continued Gross Revenue\n> Retention\n\n",
    "```\ncode NRR QBR\n```\n",
    "| Metric | Value |\n|---|---|\n| NRR | 110% |\n\n",
    "Plain words without terms here.\n",
    "\n",
    "`inline NPS` and [link text about churn](https://example.com/NRR)\n",
    "Setext heading about CSAT\n---\n\n",
    "  1. numbered QBR item\n",
    "Net\n",
    " Revenue ",
    "Retention",
    "**bold NRR**",
    "*",
    "`",
    "[",
    "> ",
    "- ",
    "漢字 NRR 😀 ",
};

static void random_text(unsigned *seed, gls_buf_t *out, int pieces_n)
{
    for (int i = 0; i < pieces_n; i++)
        gls_buf_puts(out, pieces[rand_r(seed) % (sizeof pieces / sizeof *pieces)]);
}

static void assert_same(const gls_analysis_t *inc, const gls_analysis_t *full, int step,
                        const char *text)
{
    cr_assert_eq(inc->prose.block_count, full->prose.block_count,
                 "step %d: %zu blocks incrementally, %zu from scratch\n---\n%s\n---", step,
                 inc->prose.block_count, full->prose.block_count, text);
    for (size_t i = 0; i < full->prose.block_count; i++) {
        const gls_block_t *a = &inc->prose.blocks[i], *b = &full->prose.blocks[i];
        cr_assert(a->start == b->start && a->end == b->end && a->kind == b->kind &&
                      a->seg_count == b->seg_count,
                  "step %d: block %zu differs: [%u,%u) kind %d segs %u vs [%u,%u) kind %d segs %u",
                  step, i, a->start, a->end, a->kind, a->seg_count, b->start, b->end, b->kind,
                  b->seg_count);
        for (uint32_t k = 0; k < b->seg_count; k++) {
            const gls_segment_t *x = &inc->prose.segs[a->seg_first + k];
            const gls_segment_t *y = &full->prose.segs[b->seg_first + k];
            cr_assert(x->start == y->start && x->end == y->end && x->sep == y->sep,
                      "step %d: block %zu segment %u differs", step, i, k);
        }
    }
    cr_assert_eq(inc->matches.count, full->matches.count, "step %d: %zu vs %zu matches", step,
                 inc->matches.count, full->matches.count);
    for (size_t i = 0; i < full->matches.count; i++) {
        const gls_match_t *a = &inc->matches.items[i], *b = &full->matches.items[i];
        cr_assert(a->start == b->start && a->end == b->end && a->form == b->form &&
                      a->flags == b->flags && inc->match_block[i] == full->match_block[i],
                  "step %d: match %zu differs: [%u,%u) vs [%u,%u)", step, i, a->start, a->end,
                  b->start, b->end);
    }
    cr_assert_eq(inc->caps.count, full->caps.count, "step %d: %zu vs %zu caps words", step,
                 inc->caps.count, full->caps.count);
    for (size_t i = 0; i < full->caps.count; i++) {
        const gls_caps_word_t *a = &inc->caps.items[i], *b = &full->caps.items[i];
        cr_assert(a->start == b->start && a->end == b->end && a->flags == b->flags &&
                      inc->caps_block[i] == full->caps_block[i],
                  "step %d: caps word %zu differs: [%u,%u) %u vs [%u,%u) %u", step, i, a->start,
                  a->end, a->flags, b->start, b->end, b->flags);
    }
}

/* Random documents edited at random. 'max_edits' edits (at least one)
 * happen between two updates, anywhere in the document, so the update
 * re-parses several separate runs of chunks. */
static void random_edit_rounds(unsigned seeds, int pieces_n, int steps, int max_edits,
                               size_t *incremental, size_t *reused, size_t *multi_run)
{
    gls_glossary_t *g = builtin();
    for (unsigned s = 1; s <= seeds; s++) {
        unsigned seed = s;
        gls_buf_t start;
        gls_buf_init(&start);
        random_text(&seed, &start, pieces_n);
        gls_document_t *doc = gls_document_new("file:///r.md", "markdown", 1, start.data,
                                               start.len);
        gls_buf_close(&start);
        gls_analysis_t inc;
        gls_analysis_init(&inc);
        /* Every other seed keeps every chunk's tree, so edits go through
         * ts_tree_edit and a re-parse with the old tree. */
        inc.parser = gls_prose_parser_new();
        if (s % 2)
            gls_prose_parser_set_keep_tree_bytes(inc.parser, 0);
        gls_analysis_run(&inc, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
        gls_document_clear_edit_log(doc);
        for (int step = 0; step < steps; step++) {
            int edits = 1 + (rand_r(&seed) % 4 == 0 ? (int)(rand_r(&seed) % (unsigned)max_edits)
                                                    : 0);
            for (int e = 0; e < edits; e++) {
                size_t a = doc->len ? rand_r(&seed) % (doc->len + 1) : 0;
                size_t b = a + (rand_r(&seed) % 3 == 0 ? rand_r(&seed) % 40 : 0);
                if (b > doc->len)
                    b = doc->len;
                gls_buf_t ins;
                gls_buf_init(&ins);
                if (rand_r(&seed) % 4)
                    random_text(&seed, &ins, 1 + (int)(rand_r(&seed) % 2));
                else if (rand_r(&seed) % 2)
                    gls_buf_putc(&ins, "aN \n*`#>|-"[rand_r(&seed) % 10]);
                /* Keep UTF-8 whole: move the ends off continuation bytes. */
                while (a > 0 && ((unsigned char)doc->text[a] & 0xc0) == 0x80)
                    a--;
                while (b < doc->len && ((unsigned char)doc->text[b] & 0xc0) == 0x80)
                    b++;
                gls_document_replace(doc, a, b, ins.data ? ins.data : "", ins.len);
                gls_buf_close(&ins);
            }
            size_t blocks_before = inc.prose.block_count;
            gls_analysis_update(&inc, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN,
                                doc->edit_log, doc->edit_log_count, doc->edit_log_full);
            if (edits > 1 && inc.last_blocks_rematched + 8 < blocks_before / 2)
                (*multi_run)++;
            gls_document_clear_edit_log(doc);
            gls_analysis_t full;
            gls_analysis_init(&full);
            gls_analysis_run(&full, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
            assert_same(&inc, &full, step, doc->text);
            gls_analysis_close(&full);
        }
        *incremental += inc.incremental_runs;
        *reused += gls_prose_parser_stats(inc.parser)->trees_reused;
        gls_analysis_close(&inc);
        gls_document_free(doc);
    }
    gls_glossary_unref(g);
}

Test(analysis, incremental_equals_full_under_random_edits, .timeout = 600)
{
    size_t incremental = 0, reused = 0, multi = 0;
    random_edit_rounds(12, 30, 250, 3, &incremental, &reused, &multi);
    /* The test is about the incremental path: it must have been taken. */
    cr_assert_gt(incremental, 2500);
    cr_assert_gt(reused, 300, "old trees were reused %zu times", reused);
}

/* Many edits far apart between two updates: each is re-parsed in its own
 * run, and the result still equals a fresh analysis. */
Test(analysis, scattered_edits_equal_full, .timeout = 600)
{
    size_t incremental = 0, reused = 0, multi = 0;
    random_edit_rounds(6, 300, 120, 16, &incremental, &reused, &multi);
    cr_assert_gt(incremental, 600);
    cr_assert_gt(multi, 30, "only %zu multi-edit updates re-matched less than half", multi);
}

/* Two edits at the two ends of a large document re-match a few blocks,
 * not the stretch between them. */
Test(analysis, far_apart_edits_rematch_few_blocks)
{
    gls_glossary_t *g = builtin();
    gls_buf_t big;
    gls_buf_init(&big);
    for (int i = 0; i < 2000; i++)
        gls_buf_printf(&big, "Paragraph %d about Net Revenue Retention and QBRs.\n\n", i);
    gls_document_t *doc = gls_document_new("file:///big.md", "markdown", 1, big.data, big.len);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    gls_document_clear_edit_log(doc);
    size_t before = a.matches.count;
    const char *p = strstr(doc->text, "Paragraph 1900 ");
    gls_document_replace(doc, (size_t)(p - doc->text), (size_t)(p - doc->text), "NPS ", 4);
    p = strstr(doc->text, "Paragraph 10 ");
    gls_document_replace(doc, (size_t)(p - doc->text), (size_t)(p - doc->text), "CSAT ", 5);
    gls_analysis_update(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN,
                        doc->edit_log, doc->edit_log_count, doc->edit_log_full);
    cr_assert_eq(a.incremental_runs, 1);
    cr_assert_leq(a.last_blocks_rematched, 6, "rematched %zu blocks", a.last_blocks_rematched);
    cr_assert_eq(a.matches.count, before + 2);
    gls_analysis_t full;
    gls_analysis_init(&full);
    gls_analysis_run(&full, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    assert_same(&a, &full, 0, "");
    gls_analysis_close(&full);
    gls_analysis_close(&a);
    gls_document_free(doc);
    gls_buf_close(&big);
    gls_glossary_unref(g);
}

Test(analysis, one_line_edit_rematches_few_blocks)
{
    gls_glossary_t *g = builtin();
    gls_buf_t big;
    gls_buf_init(&big);
    for (int i = 0; i < 2000; i++)
        gls_buf_printf(&big, "Paragraph %d about Net Revenue Retention and QBRs.\n\n", i);
    gls_document_t *doc = gls_document_new("file:///big.md", "markdown", 1, big.data, big.len);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    gls_document_clear_edit_log(doc);
    size_t before = a.matches.count;
    const char *p = strstr(doc->text, "Paragraph 1000 ");
    gls_document_replace(doc, (size_t)(p - doc->text), (size_t)(p - doc->text), "NPS ", 4);
    gls_analysis_update(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN,
                        doc->edit_log, doc->edit_log_count, doc->edit_log_full);
    cr_assert_eq(a.incremental_runs, 1);
    cr_assert_leq(a.last_blocks_rematched, 3, "rematched %zu blocks", a.last_blocks_rematched);
    cr_assert_eq(a.matches.count, before + 1);
    gls_analysis_close(&a);
    gls_document_free(doc);
    gls_buf_close(&big);
    gls_glossary_unref(g);
}

static void assert_same_prose(const gls_prose_t *a, const gls_prose_t *b, const char *what,
                              const char *text)
{
    cr_assert_eq(a->block_count, b->block_count, "%s: %zu vs %zu blocks\n---\n%s\n---", what,
                 a->block_count, b->block_count, text);
    for (size_t i = 0; i < a->block_count; i++) {
        const gls_block_t *x = &a->blocks[i], *y = &b->blocks[i];
        cr_assert(x->start == y->start && x->end == y->end && x->kind == y->kind &&
                      x->level == y->level && x->seg_count == y->seg_count,
                  "%s: block %zu: [%u,%u) kind %d segs %u vs [%u,%u) kind %d segs %u\n---\n%s\n---",
                  what, i, x->start, x->end, x->kind, x->seg_count, y->start, y->end, y->kind,
                  y->seg_count, text);
        for (uint32_t k = 0; k < x->seg_count; k++) {
            const gls_segment_t *s1 = &a->segs[x->seg_first + k], *s2 = &b->segs[y->seg_first + k];
            cr_assert(s1->start == s2->start && s1->end == s2->end && s1->sep == s2->sep,
                      "%s: block %zu segment %u: [%u,%u) sep %d vs [%u,%u) sep %d", what, i, k,
                      s1->start, s1->end, s1->sep, s2->start, s2->end, s2->sep);
        }
    }
}

/* Parses 'text' with both parsers and asserts they extract the same
 * prose; returns the number of blocks. */
static size_t assert_same_parse(gls_prose_parser_t *x, gls_prose_parser_t *y,
                                const gls_buf_t *text, const char *what)
{
    gls_prose_t a, b;
    gls_prose_init(&a);
    gls_prose_init(&b);
    gls_prose_parse(x, &a, text->data, (uint32_t)text->len, GLS_LANGUAGE_MARKDOWN);
    gls_prose_parse(y, &b, text->data, (uint32_t)text->len, GLS_LANGUAGE_MARKDOWN);
    assert_same_prose(&a, &b, what, text->data);
    size_t n = a.block_count;
    gls_prose_close(&a);
    gls_prose_close(&b);
    return n;
}

/* Chunked parsing with the plain-paragraph fast path gives exactly what
 * one tree-sitter parse of the whole document gives. */
Test(analysis, chunks_and_fast_path_equal_a_whole_parse, .timeout = 600)
{
    for (unsigned s = 100; s < 400; s++) {
        unsigned seed = s;
        gls_buf_t text;
        gls_buf_init(&text);
        random_text(&seed, &text, 40);
        gls_prose_parser_t *whole = gls_prose_parser_new();
        gls_prose_parser_set_chunking(whole, 0);
        gls_prose_parser_set_fast_path(whole, 0);
        gls_prose_parser_t *fast = gls_prose_parser_new();
        gls_prose_t a, b;
        gls_prose_init(&a);
        gls_prose_init(&b);
        gls_prose_parse(whole, &a, text.data, (uint32_t)text.len, GLS_LANGUAGE_MARKDOWN);
        gls_prose_parse(fast, &b, text.data, (uint32_t)text.len, GLS_LANGUAGE_MARKDOWN);
        assert_same_prose(&a, &b, "chunked", text.data);
        gls_prose_close(&a);
        gls_prose_close(&b);
        gls_prose_parser_free(whole);
        gls_prose_parser_free(fast);
        gls_buf_close(&text);
    }
}

/* The block fast paths (headings, bullet lists, pipe tables, fenced code:
 * chunks read without tree-sitter) against tree-sitter's parse of the
 * same chunks, over the pieces above and these near misses. Both sides
 * are chunked: the grammar has quirks across chunks (a table that runs on
 * past a blank line after a "-" row) that are not the fast paths' to copy. */
static const char *block_pieces[] = {
    "## Health score #\n\n",
    "### QBR ###  \n\n",
    "#\n\n",
    "## ##\n\n",
    "####### seven\n\n",
    "#hashtag NRR\n\n",
    "##\tTabbed\n\n",
    "## CR heading\r\n\r\n",
    "##   spaced   NRR  \n   \n\n",
    "- Prepare the QBR deck  \n- Confirm the *executive sponsor* and the **champion**\n\n",
    "* star item\n+ plus item\n\n",
    "- [ ] task item\n\n",
    "- # heading item\n\n",
    "-  two spaces\n\n",
    "- item\n  continued\n\n",
    "- 1. nested\n\n",
    "- - -\n\n",
    "-\n\n",
    "| Metric | Target |\n|---|---|\n| NRR | 110% |\n| churn |  < 5%  |\n\n",
    "| a |  |   |\n|:--|--:|:-:|\n|  | b |\n| c | d | e | f |\n\n",
    "| a | b |\n|---|\n| c |\n\n",
    "| a |\n| - |\n\n",
    "| a \\| b |\n|---|---|\n\n",
    "| `a|b` |\n|---|\n\n",
    "|a|\n|---|\nno bar\n\n",
    "| NRR |\n|---|\n",
    "```sql\nSELECT 1;\n```\n\n",
    "~~~~\ncode NRR\n~~~\n~~~~~\n\n", /* (not "~~~~~  ": see scan_line) */
    "```a`b\nNRR\n```\n\n",
    "```\nunclosed NRR\n\n",
    "```\ncode\n   ```\n\n",
    "```\ncode\n    ```\nstill code NRR\n```\n\n",
};

/* 'n' pieces, half of them block near misses, half the general ones. */
static void mixed_text(unsigned *seed, gls_buf_t *out, int n)
{
    const size_t n_base = sizeof pieces / sizeof *pieces;
    const size_t n_block = sizeof block_pieces / sizeof *block_pieces;
    for (int i = 0; i < n; i++)
        gls_buf_puts(out, rand_r(seed) % 2 ? block_pieces[rand_r(seed) % n_block]
                                          : pieces[rand_r(seed) % n_base]);
}

Test(analysis, block_fast_paths_equal_tree_sitter, .timeout = 600)
{
    unsigned long fast_chunks = 0;
    for (unsigned s = 1; s <= 1500; s++) {
        unsigned seed = s;
        gls_buf_t text;
        gls_buf_init(&text);
        gls_buf_puts(&text, "Intro.\n\n");
        mixed_text(&seed, &text, 30);
        gls_prose_parser_t *slow = gls_prose_parser_new();
        gls_prose_parser_set_fast_path(slow, 0);
        gls_prose_parser_t *fast = gls_prose_parser_new();
        assert_same_parse(slow, fast, &text, "block fast paths");
        fast_chunks += gls_prose_parser_stats(fast)->chunks_fast;
        gls_prose_parser_free(slow);
        gls_prose_parser_free(fast);
        gls_buf_close(&text);
    }
    cr_assert_gt(fast_chunks, 3000, "the fast paths read only %lu chunks", fast_chunks);
}

/* walk_tree in prose.c reads block trees as grammars/prose-block.scm
 * says; the query itself is the oracle. Fast paths off, so every chunk is
 * a tree; one side parses the document whole. */
Test(analysis, tree_walk_equals_block_query, .timeout = 600)
{
    size_t blocks = 0;
    for (unsigned s = 1; s <= 600; s++) {
        unsigned seed = s;
        gls_buf_t text;
        gls_buf_init(&text);
        mixed_text(&seed, &text, 30);
        int whole = s % 2;
        gls_prose_parser_t *query = gls_prose_parser_new();
        gls_prose_parser_set_fast_path(query, 0);
        gls_prose_parser_set_chunking(query, !whole);
        gls_prose_parser_set_block_query(query, 1);
        gls_prose_parser_t *walk = gls_prose_parser_new();
        gls_prose_parser_set_fast_path(walk, 0);
        gls_prose_parser_set_chunking(walk, !whole);
        blocks += assert_same_parse(query, walk, &text, "tree walk");
        gls_prose_parser_free(query);
        gls_prose_parser_free(walk);
        gls_buf_close(&text);
    }
    cr_assert_gt(blocks, 6000, "only %zu blocks compared", blocks);
}

/* Inline markup, piece by piece: every range the inline fast path
 * (simple_inline in prose.c) reads must give what tree-sitter's inline
 * parse gives, and everything it refuses goes to tree-sitter. The pieces
 * are the near misses of each construct it accepts. */
static const char *inline_simple[] = {
    "[renewal playbook](https://example.com/playbook/1)", "[NRR](x)", "[a](b)c",
    "[a](b_c&d=1!e*f~g$h#i?j)", "`code NRR`", "` `", "`<b>`", "`[a](b)`", "!", "! ", "!x", "&",
    "& ", "<", "< 5%", "<=", "<5", ">", "> 100%", "a>b", "(", ")", "()", "(GRR)", "\"", "'",
    "Net Revenue Retention", " ", "  ", "\n", " NRR ", "churn", "QBR", "100%", "é", "漢字",
    "*executive sponsor*", "**champion**", "_NRR_", "__Net Revenue__", "*a*.", "**b**,", "*c*)",
};
static const char *inline_near_misses[] = {
    "[](x)", "[a]()", "[a] (b)", "[a](b c)", "[a](b\"t\")", "[a](<b>)", "[a](b(c))", "[a](b`c)`",
    "[a`b](c)", "[a\nb](c)", "[a](b\nc)", "[a][b]", "[a]", "]", "[", "![a](b)", "``", "``code``",
    "`a\nb`", "`a", "a`", "&amp;", "&#38;", "R&D", "&nbsp;", "<b>", "</b>", "<https://x.y>",
    "<a@b.c>", "<!-- c -->", "<?x?>", "*", "_", "~", "$", "$5M", "\\", "\\[",
    "a*b*c", "_x_y_", "***both***", "* a *", "*a *", "** b**", "*a**", "**a*", "*a*b", "snake_case",
    "*[a](b)*", "*`c`*", "*a\nb*", "*a*!", "*a*_", "__a_",
};

Test(analysis, inline_fast_path_equals_tree_sitter, .timeout = 600)
{
    const size_t n_simple = sizeof inline_simple / sizeof *inline_simple;
    const size_t n_near = sizeof inline_near_misses / sizeof *inline_near_misses;
    unsigned long fast_ranges = 0;
    for (unsigned s = 1; s <= 4000; s++) {
        unsigned seed = s;
        gls_buf_t text;
        gls_buf_init(&text);
        /* One paragraph (fast chunk), one table cell and one list item (parsed
         * chunks): the fast path runs in both kinds of inline range. */
        const char *frames[] = {"Intro text.\n\n", "| h |\n|---|\n| ", "- "};
        int frame = rand_r(&seed) % 3;
        gls_buf_puts(&text, frames[frame]);
        int k = 1 + rand_r(&seed) % 6;
        for (int i = 0; i < k; i++) {
            const char *piece = rand_r(&seed) % 6 ? inline_simple[rand_r(&seed) % n_simple]
                                                  : inline_near_misses[rand_r(&seed) % n_near];
            if (frame == 1 && strchr(piece, '\n'))
                continue; /* a table row is one line */
            gls_buf_puts(&text, piece);
            if (rand_r(&seed) % 2)
                gls_buf_puts(&text, " ");
        }
        gls_buf_puts(&text, frame == 1 ? " |\n" : "\n");
        gls_prose_parser_t *slow = gls_prose_parser_new();
        gls_prose_parser_set_fast_path(slow, 0);
        gls_prose_parser_t *fast = gls_prose_parser_new();
        assert_same_parse(slow, fast, &text, "inline fast path");
        cr_assert_eq(gls_prose_parser_stats(slow)->inlines_fast, 0);
        fast_ranges += gls_prose_parser_stats(fast)->inlines_fast;
        gls_prose_parser_free(slow);
        gls_prose_parser_free(fast);
        gls_buf_close(&text);
    }
    /* The comparison means something only if the fast path ran often. */
    cr_assert_gt(fast_ranges, 1000, "the fast path read only %lu ranges", fast_ranges);
}

/* An edit inside a large parsed chunk (a long table) re-parses that chunk
 * with its edited old tree, and the result equals a fresh analysis. */
Test(analysis, edit_in_a_large_chunk_reuses_its_tree)
{
    gls_glossary_t *g = builtin();
    gls_buf_t text;
    gls_buf_init(&text);
    gls_buf_puts(&text, "Intro paragraph about NRR.\n\n| Metric | Value |\n|---|---|\n");
    for (int i = 0; i < 200; i++)
        /* The code span keeps the table from the fast path (a backtick could
         * hide a bar), so tree-sitter parses it and its tree is kept. */
        gls_buf_printf(&text, "| NRR row %d | `%d%%` |\n", i, 100 + i % 20);
    gls_buf_puts(&text, "\nClosing paragraph about GRR.\n");
    gls_document_t *doc = gls_document_new("file:///t.md", "markdown", 1, text.data, text.len);
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    gls_document_clear_edit_log(doc);
    const char *row = strstr(doc->text, "| NRR row 100 |");
    gls_document_replace(doc, (size_t)(row - doc->text) + 2, (size_t)(row - doc->text) + 5,
                         "QBR", 3);
    gls_analysis_update(&a, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN,
                        doc->edit_log, doc->edit_log_count, doc->edit_log_full);
    cr_assert_eq(a.incremental_runs, 1);
    cr_assert_eq(gls_prose_parser_stats(a.parser)->trees_reused, 1);
    gls_analysis_t full;
    gls_analysis_init(&full);
    gls_analysis_run(&full, g, doc->text, (uint32_t)doc->len, GLS_LANGUAGE_MARKDOWN);
    assert_same(&a, &full, 0, doc->text);
    gls_analysis_close(&full);
    gls_analysis_close(&a);
    gls_document_free(doc);
    gls_buf_close(&text);
    gls_glossary_unref(g);
}
