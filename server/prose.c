/* prose.c: prose extraction with tree-sitter-markdown and the queries in
 * grammars/; plain text by paragraphs. */
#include "gls/prose.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <tree_sitter/api.h>

#include "gls/log.h"
#include "gls/util.h"

const TSLanguage *tree_sitter_markdown(void);
const TSLanguage *tree_sitter_markdown_inline(void);

extern const char gls_query_prose_block[], gls_query_prose_block_end[];
extern const char gls_query_prose_inline[], gls_query_prose_inline_end[];

/* Queries are compiled once, when first needed, and shared: a TSQuery is
 * immutable. The block query is only the test oracle (walk_tree does its
 * work); the inline query runs when simple_inline refuses a range. */
static TSQuery *block_query, *inline_query;
static uint32_t cap_prose, cap_heading, cap_cell, cap_continuation, cap_skip, cap_markup;
static pthread_once_t allocator_once = PTHREAD_ONCE_INIT;
static pthread_once_t block_query_once = PTHREAD_ONCE_INIT;
static pthread_once_t inline_query_once = PTHREAD_ONCE_INIT;

/* The block grammar's symbols and fields that walk_tree looks for. */
static struct {
    TSSymbol paragraph, inline_, atx_heading, pipe_table_cell, block_continuation;
    TSSymbol setext_heading, setext_h1_underline, setext_h2_underline, atx_marker[6];
    TSFieldId heading_content;
} sym;

static TSQuery *compile(const TSLanguage *lang, const char *src, const char *end, const char *name)
{
    uint32_t err_off;
    TSQueryError err;
    TSQuery *q = ts_query_new(lang, src, (uint32_t)(end - src), &err_off, &err);
    if (!q) {
        /* The queries ship inside the binary and are tested: this is a bug. */
        gls_log_error("query %s does not compile (error %d at byte %u)", name, (int)err, err_off);
        abort();
    }
    return q;
}

static uint32_t capture_id(TSQuery *q, const char *name)
{
    uint32_t n = ts_query_capture_count(q);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len;
        const char *s = ts_query_capture_name_for_id(q, i, &len);
        if (strlen(name) == len && memcmp(s, name, len) == 0)
            return i;
    }
    return UINT32_MAX;
}

/* ---- a memory budget for tree-sitter ----
 * Some inputs make tree-sitter-markdown's GLR parser split into versions
 * without end: 164 bytes of '<', '_' and '>' (found by fuzz_loaders) grew
 * past 24 GB in two minutes. tree-sitter has no memory limit, but it
 * takes an allocator and a cancellation flag: every allocation during a
 * parse is counted on the parsing thread, and past a budget far above
 * any real document's need the flag stops the parse. The budget counts
 * bytes asked for, not bytes live, so it is deterministic - unlike a
 * timeout, it does not fire on a slow machine or under valgrind. */
static _Thread_local size_t ts_asked;
static _Thread_local size_t ts_budget = SIZE_MAX;
static _Thread_local size_t ts_cancel;

static inline void ts_count(size_t n)
{
    ts_asked += n;
    if (ts_asked > ts_budget)
        ts_cancel = 1;
}

static void *ts_counted_malloc(size_t n)
{
    ts_count(n);
    return malloc(n);
}

static void *ts_counted_calloc(size_t k, size_t n)
{
    ts_count(k * n);
    return calloc(k, n);
}

static void *ts_counted_realloc(void *p, size_t n)
{
    ts_count(n);
    return realloc(p, n);
}

/* Bytes a parse of 'len' bytes may ask for: measured documents ask for
 * less than 100 bytes per byte of text (see gls_prose_stats_t). */
static size_t parse_budget(size_t len)
{
    return ((size_t)64 << 20) + 1024 * len;
}

/* Runs one tree-sitter parse under the budget; NULL when it was stopped
 * (the parser is reset for the next parse) or failed. */
static TSTree *budgeted_parse(TSParser *parser, const TSTree *old, const char *text, uint32_t len,
                              size_t budget_len, gls_prose_stats_t *stats)
{
    ts_asked = 0;
    ts_cancel = 0;
    ts_budget = parse_budget(budget_len);
    ts_parser_set_cancellation_flag(parser, &ts_cancel);
    TSTree *tree = ts_parser_parse_string(parser, old, text, len);
    if (ts_asked > stats->most_asked_per_parse)
        stats->most_asked_per_parse = ts_asked;
    if (!tree && ts_cancel) {
        stats->parses_stopped++;
        ts_parser_reset(parser);
    }
    ts_parser_set_cancellation_flag(parser, NULL);
    ts_budget = SIZE_MAX;
    return tree;
}

static TSSymbol named_symbol(const TSLanguage *lang, const char *name)
{
    TSSymbol s = ts_language_symbol_for_name(lang, name, (uint32_t)strlen(name), true);
    if (!s) {
        /* The grammar is pinned and tested: this is a bug. */
        gls_log_error("the Markdown grammar has no node '%s'", name);
        abort();
    }
    return s;
}

static void set_allocator(void)
{
    /* Before any tree-sitter object exists; the counting functions use
     * the same malloc as tree-sitter's default, so either frees the other's. */
    ts_set_allocator(ts_counted_malloc, ts_counted_calloc, ts_counted_realloc, free);
    const TSLanguage *md = tree_sitter_markdown();
    sym.paragraph = named_symbol(md, "paragraph");
    sym.inline_ = named_symbol(md, "inline");
    sym.atx_heading = named_symbol(md, "atx_heading");
    sym.pipe_table_cell = named_symbol(md, "pipe_table_cell");
    sym.block_continuation = named_symbol(md, "block_continuation");
    sym.setext_heading = named_symbol(md, "setext_heading");
    sym.setext_h1_underline = named_symbol(md, "setext_h1_underline");
    sym.setext_h2_underline = named_symbol(md, "setext_h2_underline");
    for (int lv = 0; lv < 6; lv++) {
        char name[32];
        snprintf(name, sizeof name, "atx_h%d_marker", lv + 1);
        sym.atx_marker[lv] = named_symbol(md, name);
    }
    sym.heading_content = ts_language_field_id_for_name(md, "heading_content", 15);
    if (!sym.heading_content) {
        gls_log_error("the Markdown grammar has no field 'heading_content'");
        abort();
    }
}

static void compile_block_query(void)
{
    block_query = compile(tree_sitter_markdown(), gls_query_prose_block,
                          gls_query_prose_block_end, "prose-block.scm");
    cap_prose = capture_id(block_query, "prose");
    cap_heading = capture_id(block_query, "heading");
    cap_cell = capture_id(block_query, "cell");
    cap_continuation = capture_id(block_query, "continuation");
}

static void compile_inline_query(void)
{
    inline_query = compile(tree_sitter_markdown_inline(), gls_query_prose_inline,
                           gls_query_prose_inline_end, "prose-inline.scm");
    cap_skip = capture_id(inline_query, "skip");
    cap_markup = capture_id(inline_query, "markup");
}

gls_language_t gls_language_of(const char *language_id, const char *uri)
{
    if (language_id && *language_id) {
        if (strcasecmp(language_id, "markdown") == 0 || strcasecmp(language_id, "md") == 0 ||
            strcasecmp(language_id, "mdx") == 0 || strcasecmp(language_id, "rmd") == 0 ||
            strcasecmp(language_id, "quarto") == 0 || strcasecmp(language_id, "vimwiki") == 0)
            return GLS_LANGUAGE_MARKDOWN;
        if (strcasecmp(language_id, "plaintext") == 0 || strcasecmp(language_id, "text") == 0)
            return GLS_LANGUAGE_TEXT;
    }
    /* Unknown or missing language: go by the extension. */
    const char *dot = uri ? strrchr(uri, '.') : NULL;
    const char *slash = uri ? strrchr(uri, '/') : NULL;
    if (dot && (!slash || dot > slash)) {
        static const char *md[] = {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdx", ".rmd",
                                   ".qmd"};
        for (size_t i = 0; i < GLS_ARRAY_LEN(md); i++)
            if (strcasecmp(dot, md[i]) == 0)
                return GLS_LANGUAGE_MARKDOWN;
    }
    return GLS_LANGUAGE_TEXT;
}

void gls_prose_init(gls_prose_t *p)
{
    memset(p, 0, sizeof *p);
}

void gls_prose_close(gls_prose_t *p)
{
    free(p->blocks);
    free(p->segs);
    gls_prose_init(p);
}

void gls_prose_clear(gls_prose_t *p)
{
    p->block_count = 0;
    p->seg_count = 0;
}

static void add_segment(gls_prose_t *p, uint32_t start, uint32_t end, gls_sep_t sep)
{
    if (end <= start)
        return;
    if (p->seg_count == p->seg_cap) {
        p->seg_cap = p->seg_cap ? p->seg_cap * 2 : 256;
        p->segs = gls_xrealloc(p->segs, p->seg_cap * sizeof *p->segs);
    }
    p->segs[p->seg_count++] = (gls_segment_t){start, end, (uint8_t)sep};
}

static void begin_block(gls_prose_t *p, uint32_t start, uint32_t end, gls_block_kind_t kind,
                        uint8_t level)
{
    if (p->block_count == p->block_cap) {
        p->block_cap = p->block_cap ? p->block_cap * 2 : 64;
        p->blocks = gls_xrealloc(p->blocks, p->block_cap * sizeof *p->blocks);
    }
    p->blocks[p->block_count++] =
        (gls_block_t){start, end, (uint32_t)p->seg_count, 0, (uint8_t)kind, level};
}

static void end_block(gls_prose_t *p)
{
    gls_block_t *b = &p->blocks[p->block_count - 1];
    b->seg_count = (uint32_t)p->seg_count - b->seg_first;
    if (b->seg_count == 0)
        p->block_count--; /* nothing left to match: drop it */
}

/* ---- plain text ---- */

/* A line with letters, none of them lowercase, and at least one word of
 * three or more capitals (so "Q3 FY25" or "A." are not titles). */
static int caps_line(const char *t, uint32_t ls, uint32_t le)
{
    int letters = 0, run = 0, long_word = 0;
    for (uint32_t i = ls; i < le; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c >= 'a' && c <= 'z')
            return 0;
        if (c >= 'A' && c <= 'Z') {
            letters++;
            if (++run >= 3)
                long_word = 1;
        } else {
            run = 0;
        }
    }
    return letters >= 3 && long_word;
}

static void extract_text(gls_prose_t *p, const char *text, uint32_t len)
{
    /* Paragraphs are separated by blank lines; each is one block and one
     * segment (line breaks inside are white space to the tokenizer). */
    uint32_t i = 0;
    while (i < len) {
        /* Skip blank lines. */
        uint32_t line_start = i;
        while (i < len) {
            uint32_t j = i;
            while (j < len && (text[j] == ' ' || text[j] == '\t'))
                j++;
            if (j < len && (text[j] == '\n' || text[j] == '\r')) {
                i = j + 1;
                line_start = i;
                continue;
            }
            break;
        }
        if (i >= len)
            break;
        uint32_t start = line_start;
        /* Find the end of the paragraph: a line with only white space. */
        uint32_t end = start;
        while (end < len) {
            const char *nl = memchr(text + end, '\n', len - end);
            uint32_t eol = nl ? (uint32_t)(nl - text) : len;
            uint32_t k = eol + (nl ? 1 : 0);
            end = eol;
            if (!nl)
                break;
            uint32_t j = k;
            while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
                j++;
            if (j >= len || text[j] == '\n') {
                break;
            }
            end = k;
        }
        if (end == start)
            end = len;
        /* A line in capitals ("AGENDA", "3. VOC PROGRAM UPDATE") is plain
         * text's heading: its own block, so rules treat it as one. */
        uint32_t run = start, ls = start;
        while (ls < end) {
            const char *nl = memchr(text + ls, '\n', end - ls);
            uint32_t le = nl ? (uint32_t)(nl - text) : end;
            if (caps_line(text, ls, le)) {
                if (ls > run) {
                    begin_block(p, run, ls, GLS_BLOCK_PARAGRAPH, 0);
                    add_segment(p, run, ls, GLS_SEP_HARD);
                    end_block(p);
                }
                begin_block(p, ls, le, GLS_BLOCK_HEADING, 0);
                add_segment(p, ls, le, GLS_SEP_HARD);
                end_block(p);
                run = nl ? le + 1 : end;
            }
            ls = nl ? le + 1 : end;
        }
        if (end > run) {
            begin_block(p, run, end, GLS_BLOCK_PARAGRAPH, 0);
            add_segment(p, run, end, GLS_SEP_HARD);
            end_block(p);
        }
        i = end;
        if (i < len && text[i] == '\n')
            i++;
    }
}

/* ---- Markdown ---- */

typedef struct range {
    uint32_t start, end;
    uint8_t sep; /* what replaces the cut: SPACE (markup) or HARD (skip) */
} range_t;

typedef struct cuts {
    range_t *items;
    size_t count, cap;
} cuts_t;

static void cut(cuts_t *c, uint32_t start, uint32_t end, gls_sep_t sep)
{
    if (c->count == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->items = gls_xrealloc(c->items, c->cap * sizeof *c->items);
    }
    c->items[c->count++] = (range_t){start, end, (uint8_t)sep};
}

static int cut_cmp(const void *a, const void *b)
{
    const range_t *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* True when the emphasis that delimiter 'node' belongs to is glued to a
 * word ("Net**Revenue**", "Customer*Health* Score"): the words run
 * together when rendered, so the delimiters stay in the text, where they
 * separate hard, rather than being cut as markup. */
static int glued(const char *text, uint32_t len, TSNode node)
{
    TSNode e = ts_node_parent(node);
    if (ts_node_is_null(e))
        return 0;
    uint32_t a = ts_node_start_byte(e), b = ts_node_end_byte(e);
    return (a > 0 && isalnum((unsigned char)text[a - 1])) ||
           (b < len && isalnum((unsigned char)text[b]));
}

/* Cuts a @skip node, with two corrections to the grammar: "$5M ... $7M" is
 * not math (Pandoc's rule: no space inside the dollars, no digit after the
 * closing one), and a few entities stand for what they encode: &nbsp; is a
 * space, &amp; an ampersand. */
static void cut_skip(cuts_t *c, const char *text, uint32_t len, TSNode node, uint32_t a,
                     uint32_t b)
{
    const char *type = ts_node_type(node);
    if (strcmp(type, "latex_block") == 0 && b - a >= 2 && text[a] == '$' && text[a + 1] != '$') {
        int bad = text[a + 1] == ' ' || text[b - 2] == ' ' ||
                  (b < len && text[b] >= '0' && text[b] <= '9');
        if (bad)
            return; /* dollars in prose: leave the text as it is */
    }
    if (strcmp(type, "entity_reference") == 0) {
        size_t n = b - a;
        if ((n == 6 && strncmp(text + a, "&nbsp;", 6) == 0) ||
            (n == 6 && strncmp(text + a, "&ensp;", 6) == 0) ||
            (n == 6 && strncmp(text + a, "&emsp;", 6) == 0) ||
            (n == 8 && strncmp(text + a, "&thinsp;", 8) == 0)) {
            cut(c, a, b, GLS_SEP_SPACE);
            return;
        }
        if (n == 5 && strncmp(text + a, "&amp;", 5) == 0) {
            cut(c, a + 1, b, GLS_SEP_SPACE); /* keep the '&' itself */
            return;
        }
    }
    cut(c, a, b, GLS_SEP_HARD);
}

/* Inline markup characters: a range without any of them needs no inline
 * parse at all, which is most of the text of a typical document. */
static int needs_inline_parse(const char *text, uint32_t start, uint32_t end)
{
    static unsigned char special[256];
    static int init;
    if (!init) {
        const char *s = "*_`[]<>\\&~$!";
        for (; *s; s++)
            special[(unsigned char)*s] = 1;
        init = 1;
    }
    for (uint32_t i = start; i < end; i++)
        if (special[(unsigned char)text[i]])
            return 1;
    return 0;
}

/* Reads without tree-sitter the inline ranges whose markup is only of the
 * kinds that are simple and common, appending their cuts to 'c' exactly as
 * the inline query over tree-sitter's tree would (the differential test in
 * tests/unit/test_analysis.c holds the two together). Returns 0, with
 * nothing appended, at anything else: tree-sitter decides those. Why: a
 * tree-sitter inline parse costs 30-60 us even for one short sentence with
 * a link, which made inline parsing most of a full pass.
 *   [text](dest)  text without markup, brackets or line breaks; dest
 *                 non-empty, without white space, parentheses, quotes,
 *                 angle brackets, backslashes or backticks; dest is cut
 *   `code`        single backticks, no line break inside; the span is cut
 *   *em* **strong** _em_ __strong__  flanked by white space or the range's
 *                 ends outside and letters or digits inside, plain text
 *                 inside; the delimiters are markup
 *   !  &  <  >    as text where they cannot start markup: '!' not before
 *                 '[', '&' not before a letter, digit or '#', '<' before
 *                 white space, a digit, '=' or the end */
static int simple_inline(const char *t, uint32_t start, uint32_t end, cuts_t *c)
{
    size_t mark = c->count;
    uint32_t i = start;
    while (i < end) {
        unsigned char ch = (unsigned char)t[i];
        switch (ch) {
        case '!':
            if (i + 1 < end && t[i + 1] == '[')
                goto refuse;
            i++;
            continue;
        case '&':
            if (i + 1 < end && (isalnum((unsigned char)t[i + 1]) || t[i + 1] == '#'))
                goto refuse;
            i++;
            continue;
        case '<':
            if (i + 1 < end && !(t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '\n' ||
                                 t[i + 1] == '=' || (t[i + 1] >= '0' && t[i + 1] <= '9')))
                goto refuse;
            i++;
            continue;
        case '>':
            i++;
            continue;
        case '`': {
            if (i > start && t[i - 1] == '`')
                goto refuse;
            uint32_t j = i + 1;
            while (j < end && t[j] != '`' && t[j] != '\n')
                j++;
            if (j >= end || t[j] != '`' || j == i + 1 || (j + 1 < end && t[j + 1] == '`'))
                goto refuse;
            cut(c, i, j + 1, GLS_SEP_HARD);
            i = j + 1;
            continue;
        }
        case '[': {
            uint32_t j = i + 1;
            while (j < end && t[j] != ']') {
                unsigned char x = (unsigned char)t[j];
                if (x == '\n' || x == '[' || strchr("*_`<>\\&~$!", x))
                    goto refuse;
                j++;
            }
            if (j == i + 1 || j + 1 >= end || t[j] != ']' || t[j + 1] != '(')
                goto refuse;
            uint32_t d = j + 2, k = d;
            while (k < end && t[k] != ')') {
                unsigned char x = (unsigned char)t[k];
                if (x <= ' ' || x == 0x7f || strchr("()<>\\\"'`", x))
                    goto refuse;
                k++;
            }
            if (k >= end || k == d)
                goto refuse;
            cut(c, d, k, GLS_SEP_HARD);
            i = k + 1;
            continue;
        }
        case '*': case '_': {
            /* Emphasis: a run of one or two, after white space or the
             * start, before a letter or digit; closed by the same run after
             * a letter or digit and before white space, punctuation or the
             * end; nothing but plain text inside. Both runs are markup. */
            uint32_t n = 1;
            while (i + n < end && t[i + n] == (char)ch)
                n++;
            if (n > 2 || (i > start && t[i - 1] != ' ' && t[i - 1] != '\n') || i + n >= end ||
                !isalnum((unsigned char)t[i + n]))
                goto refuse;
            uint32_t j = i + n;
            while (j < end && t[j] != (char)ch) {
                unsigned char x = (unsigned char)t[j];
                if (x == '\n' || x == '[' || x == ']' || strchr("*_`<>\\&~$!", x))
                    goto refuse;
                j++;
            }
            if (j + n > end || !isalnum((unsigned char)t[j - 1]) ||
                (n == 2 && t[j + 1] != (char)ch))
                goto refuse;
            uint32_t after = j + n;
            if (after < end && !(t[after] == ' ' || t[after] == '\n' || strchr(".,;:?)", t[after])))
                goto refuse;
            cut(c, i, i + n, GLS_SEP_SPACE);
            cut(c, j, j + n, GLS_SEP_SPACE);
            i = after;
            continue;
        }
        case ']': case '\\': case '~': case '$':
            goto refuse;
        default:
            i++;
        }
    }
    return 1;
refuse:
    c->count = mark;
    return 0;
}

typedef struct md_ctx {
    TSParser *inline_parser;
    TSQueryCursor *cursor;
    cuts_t cuts;
    TSRange *ranges;
    size_t range_cap;
    gls_prose_stats_t *stats; /* the owning parser's */
    int fast_path;            /* simple_inline before tree-sitter */
} md_ctx_t;

/* Emits the segments of the inline range [start, end) minus the
 * continuation cuts already in 'c' and minus what the inline query cuts. */
static void emit_inline(md_ctx_t *m, gls_prose_t *p, const char *text, uint32_t len,
                        const TSNode *inl, uint32_t start, uint32_t end)
{
    cuts_t *c = &m->cuts;
    size_t continuation_cuts = c->count;
    int markup = needs_inline_parse(text, start, end);
    if (markup && m->fast_path && continuation_cuts == 0 && simple_inline(text, start, end, c)) {
        m->stats->inlines_fast++;
    } else if (markup) {
        m->stats->inlines_parsed++;
        /* The included ranges are the inline node minus its continuation
         * markers, as tree-sitter's Markdown injection does. */
        size_t nr = 0;
        uint32_t pos = start;
        if (m->range_cap < continuation_cuts + 1) {
            m->range_cap = continuation_cuts + 16;
            m->ranges = gls_xrealloc(m->ranges, m->range_cap * sizeof *m->ranges);
        }
        TSPoint zero = {0, 0};
        for (size_t k = 0; k <= continuation_cuts; k++) {
            uint32_t stop = k < continuation_cuts ? c->items[k].start : end;
            if (stop > pos)
                m->ranges[nr++] = (TSRange){zero, zero, pos, stop};
            if (k < continuation_cuts)
                pos = c->items[k].end;
        }
        if (nr > 0) {
            ts_parser_set_included_ranges(m->inline_parser, m->ranges, (uint32_t)nr);
            TSTree *tree = budgeted_parse(m->inline_parser, NULL, text, len, end - start,
                                          m->stats);
            if (!tree) /* stopped by the budget: read none of it as prose */
                cut(c, start, end, GLS_SEP_HARD);
            if (tree) {
                pthread_once(&inline_query_once, compile_inline_query);
                ts_query_cursor_exec(m->cursor, inline_query, ts_tree_root_node(tree));
                ts_query_cursor_set_byte_range(m->cursor, start, end);
                TSQueryMatch qm;
                uint32_t ci;
                while (ts_query_cursor_next_capture(m->cursor, &qm, &ci)) {
                    const TSQueryCapture *cap = &qm.captures[ci];
                    uint32_t a = ts_node_start_byte(cap->node), b = ts_node_end_byte(cap->node);
                    if (cap->index == cap_skip)
                        cut_skip(c, text, len, cap->node, a, b);
                    else if (cap->index == cap_markup)
                        /* Emphasis inside a word ("Net**Revenue**") glues, it
                         * does not separate: a term must not continue there. */
                        if (!glued(text, len, cap->node))
                            cut(c, a, b, GLS_SEP_SPACE);
                }
                ts_tree_delete(tree);
            }
        }
    }
    (void)inl;
    if (c->count > 1)
        qsort(c->items, c->count, sizeof *c->items, cut_cmp);
    /* Walk the cuts in order; the text between them is prose, and the
     * strongest cut between two pieces is their separator. */
    uint32_t pos = start;
    gls_sep_t sep = GLS_SEP_HARD;
    for (size_t k = 0; k < c->count; k++) {
        const range_t *r = &c->items[k];
        if (r->start > pos) {
            add_segment(p, pos, r->start, sep);
            sep = GLS_SEP_NONE;
        }
        if ((gls_sep_t)r->sep > sep)
            sep = (gls_sep_t)r->sep;
        if (r->end > pos)
            pos = r->end;
    }
    if (end > pos)
        add_segment(p, pos, end, sep);
    c->count = 0;
}

/* tree-sitter-markdown's block scanner overflows when about 255 blocks are
 * open at once (tree-sitter-grammars/tree-sitter-markdown#243) and the
 * process dies. Documents nested deeper than this are read as plain text
 * instead (the limit leaves a margin below the 255 that crash); no real
 * document comes near it. */
#define MAX_MARKDOWN_NESTING 200

/* An upper bound on the blocks opened by the lines that touch [from, to):
 * block-quote markers, list markers and indentation at each line start. */
static int too_deep(const char *t, uint32_t len, uint32_t from, uint32_t to)
{
    uint32_t i = from;
    while (i > 0 && t[i - 1] != '\n')
        i--;
    while (i < len && i <= to) {
        int depth = 0, indent = 0, leading = 1;
        for (;;) {
            /* Indentation nests lists only at the line start; spaces after a
             * marker belong to the marker. */
            while (i < len && (t[i] == ' ' || t[i] == '\t')) {
                if (leading)
                    indent += t[i] == '\t' ? 4 : 1;
                i++;
            }
            leading = 0;
            if (i < len && t[i] == '>') {
                depth++;
                i++;
                continue;
            }
            uint32_t j = i;
            while (j < len && j - i < 9 && t[j] >= '0' && t[j] <= '9')
                j++;
            if (j < len && ((j > i && (t[j] == '.' || t[j] == ')')) ||
                            (j == i && (t[j] == '-' || t[j] == '*' || t[j] == '+'))) &&
                j + 1 < len && (t[j + 1] == ' ' || t[j + 1] == '\t')) {
                depth++;
                i = j + 1;
                continue;
            }
            break;
        }
        if (depth + indent / 2 > MAX_MARKDOWN_NESTING)
            return 1;
        while (i < len && t[i] != '\n')
            i++;
        i++;
    }
    return 0;
}

/* A chunk: a run of blocks that parses the same alone as inside the whole
 * document, so chunks are parsed one by one and an edit re-parses only the
 * chunks it touches. */
typedef struct chunk {
    uint32_t start, end;
    uint32_t first_block, block_count;
    TSTree *tree; /* kept for large parsed chunks, for ts_tree_edit; else NULL */
} chunk_t;

/* Parsed chunks at least this large keep their tree: an edit inside one is
 * applied with ts_tree_edit and the chunk re-parsed with its old tree.
 * Smaller chunks re-parse from scratch in well under a millisecond. */
#define KEEP_TREE_BYTES 2048

struct gls_prose_parser {
    TSParser *block_parser;
    TSQueryCursor *block_cursor; /* only with use_block_query */
    int use_block_query;         /* the test oracle instead of walk_tree */
    md_ctx_t m;
    int active;            /* 'chunks' describe the last Markdown parse */
    chunk_t *chunks;
    size_t chunk_count, chunk_cap;
    int fast_path;         /* plain paragraphs skip tree-sitter */
    int chunking;          /* split at safe blank lines (off: one chunk, for tests) */
    uint32_t keep_tree_bytes; /* parsed chunks this large keep their tree */
    gls_prose_stats_t stats;
    /* Scratch of gls_prose_reparse, kept between calls (a fresh 400 KB
     * allocation per keystroke in a 10 MB document costs page faults). */
    uint32_t *old_start;
    unsigned char *dirty;
    size_t scratch_cap;
};

gls_prose_parser_t *gls_prose_parser_new(void)
{
    pthread_once(&allocator_once, set_allocator);
    gls_prose_parser_t *pp = gls_xcalloc(1, sizeof *pp);
    pp->block_parser = ts_parser_new();
    ts_parser_set_language(pp->block_parser, tree_sitter_markdown());
    pp->m.inline_parser = ts_parser_new();
    ts_parser_set_language(pp->m.inline_parser, tree_sitter_markdown_inline());
    pp->m.cursor = ts_query_cursor_new();
    pp->m.stats = &pp->stats;
    pp->fast_path = 1;
    pp->m.fast_path = 1;
    pp->chunking = 1;
    pp->keep_tree_bytes = KEEP_TREE_BYTES;
    return pp;
}

void gls_prose_parser_free(gls_prose_parser_t *pp)
{
    if (!pp)
        return;
    if (pp->block_cursor)
        ts_query_cursor_delete(pp->block_cursor);
    ts_query_cursor_delete(pp->m.cursor);
    ts_parser_delete(pp->m.inline_parser);
    ts_parser_delete(pp->block_parser);
    free(pp->m.cuts.items);
    free(pp->m.ranges);
    free(pp->old_start);
    free(pp->dirty);
    for (size_t i = 0; i < pp->chunk_count; i++)
        if (pp->chunks[i].tree)
            ts_tree_delete(pp->chunks[i].tree);
    free(pp->chunks);
    free(pp);
}

void gls_prose_parser_set_fast_path(gls_prose_parser_t *pp, int enabled)
{
    pp->fast_path = enabled;
    pp->m.fast_path = enabled;
}

void gls_prose_parser_set_block_query(gls_prose_parser_t *pp, int enabled)
{
    pp->use_block_query = enabled;
}

void gls_prose_parser_set_keep_tree_bytes(gls_prose_parser_t *pp, uint32_t bytes)
{
    pp->keep_tree_bytes = bytes;
}

void gls_prose_parser_set_chunking(gls_prose_parser_t *pp, int enabled)
{
    pp->chunking = enabled;
}

const gls_prose_stats_t *gls_prose_parser_stats(const gls_prose_parser_t *pp)
{
    return &pp->stats;
}

/* What a block tree holds for prose, as grammars/prose-block.scm says. */
typedef enum block_capture {
    CAPTURE_PROSE,        /* a paragraph's inline content */
    CAPTURE_HEADING,      /* an ATX heading's content */
    CAPTURE_CELL,         /* a table cell */
    CAPTURE_CONTINUATION  /* a block continuation inside inline content */
} block_capture_t;

/* The inline block being gathered from a tree: its node, kind and level,
 * and its continuation cuts in pp->m.cuts, until the next capture. */
typedef struct pending_block {
    TSNode node;
    int have;
    gls_block_kind_t kind;
    uint8_t level;
} pending_block_t;

static void emit_pending(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                         uint32_t base, pending_block_t *pb)
{
    md_ctx_t *m = &pp->m;
    if (pb->have) {
        uint32_t a = base + ts_node_start_byte(pb->node), b = base + ts_node_end_byte(pb->node);
        begin_block(p, a, b, pb->kind, pb->level);
        if (m->cuts.count > 1)
            qsort(m->cuts.items, m->cuts.count, sizeof *m->cuts.items, cut_cmp);
        emit_inline(m, p, text, len, &pb->node, a, b);
        end_block(p);
        pb->have = 0;
    }
    m->cuts.count = 0;
}

/* One capture, in document order: continuation captures follow the
 * inline node they belong to, so an inline block is emitted when the next
 * non-continuation capture (or the end) arrives. */
static void on_capture(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                       uint32_t base, pending_block_t *pb, block_capture_t kind, TSNode n)
{
    if (kind == CAPTURE_CONTINUATION) {
        if (pb->have)
            cut(&pp->m.cuts, base + ts_node_start_byte(n), base + ts_node_end_byte(n),
                GLS_SEP_SPACE);
        return;
    }
    emit_pending(pp, p, text, len, base, pb);
    if (ts_node_end_byte(n) <= ts_node_start_byte(n))
        return;
    if (kind == CAPTURE_PROSE) {
        TSNode parent = ts_node_parent(n);
        TSNode grand = ts_node_is_null(parent) ? parent : ts_node_parent(parent);
        int setext = !ts_node_is_null(grand) && ts_node_symbol(grand) == sym.setext_heading;
        pb->kind = setext ? GLS_BLOCK_HEADING : GLS_BLOCK_PARAGRAPH;
        pb->level = 0;
        if (setext) {
            uint32_t nc = ts_node_child_count(grand);
            for (uint32_t k = 0; k < nc; k++) {
                TSSymbol c = ts_node_symbol(ts_node_child(grand, k));
                if (c == sym.setext_h1_underline)
                    pb->level = 1;
                else if (c == sym.setext_h2_underline)
                    pb->level = 2;
            }
        }
    } else if (kind == CAPTURE_HEADING) {
        pb->kind = GLS_BLOCK_HEADING;
        TSNode h = ts_node_parent(n);
        pb->level = 1;
        uint32_t nc = ts_node_child_count(h);
        for (uint32_t k = 0; k < nc; k++) {
            TSSymbol c = ts_node_symbol(ts_node_child(h, k));
            for (int lv = 0; lv < 6; lv++)
                if (c == sym.atx_marker[lv])
                    pb->level = (uint8_t)(lv + 1);
        }
    } else {
        pb->kind = GLS_BLOCK_TABLE_CELL;
        pb->level = 0;
    }
    pb->node = n;
    pb->have = 1;
}

/* The captures of prose-block.scm by a walk over the tree: a query costs
 * 8.5 ms to compile for this grammar (7.6 of them for the continuation
 * pattern), more than a whole check of a 100 KB document, and a cursor
 * walk is cheaper than running it. The test oracle runs the query itself
 * (gls_prose_parser_set_block_query) and compares. */
static void walk_tree(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                      TSTree *tree, uint32_t base, pending_block_t *pb)
{
    TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        TSSymbol s = ts_node_symbol(n);
        if (s == sym.paragraph || s == sym.atx_heading || s == sym.inline_) {
            uint32_t nc = ts_node_child_count(n);
            for (uint32_t k = 0; k < nc; k++) {
                TSNode c = ts_node_child(n, k);
                TSSymbol cs = ts_node_symbol(c);
                if (s == sym.paragraph && cs == sym.inline_)
                    on_capture(pp, p, text, len, base, pb, CAPTURE_PROSE, c);
                else if (s == sym.inline_ && cs == sym.block_continuation)
                    on_capture(pp, p, text, len, base, pb, CAPTURE_CONTINUATION, c);
                else if (s == sym.atx_heading && cs == sym.inline_ &&
                         ts_node_eq(c, ts_node_child_by_field_id(n, sym.heading_content)))
                    on_capture(pp, p, text, len, base, pb, CAPTURE_HEADING, c);
            }
        } else if (s == sym.pipe_table_cell) {
            on_capture(pp, p, text, len, base, pb, CAPTURE_CELL, n);
        }
        if (ts_tree_cursor_goto_first_child(&cur))
            continue;
        while (!ts_tree_cursor_goto_next_sibling(&cur))
            if (!ts_tree_cursor_goto_parent(&cur)) {
                ts_tree_cursor_delete(&cur);
                return;
            }
    }
}

static void query_tree(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                       TSTree *tree, uint32_t base, pending_block_t *pb)
{
    pthread_once(&block_query_once, compile_block_query);
    if (!pp->block_cursor)
        pp->block_cursor = ts_query_cursor_new();
    TSQueryCursor *bc = pp->block_cursor;
    ts_query_cursor_exec(bc, block_query, ts_tree_root_node(tree));
    TSQueryMatch qm;
    uint32_t ci;
    while (ts_query_cursor_next_capture(bc, &qm, &ci)) {
        const TSQueryCapture *cap = &qm.captures[ci];
        block_capture_t kind = cap->index == cap_prose     ? CAPTURE_PROSE
                               : cap->index == cap_heading ? CAPTURE_HEADING
                               : cap->index == cap_cell    ? CAPTURE_CELL
                                                           : CAPTURE_CONTINUATION;
        on_capture(pp, p, text, len, base, pb, kind, cap->node);
    }
}

/* Emits into 'p' the prose blocks of 'tree', parsed from the bytes that
 * start at 'base'. */
static void extract_tree(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                         TSTree *tree, uint32_t base)
{
    pending_block_t pb = {0};
    pp->m.cuts.count = 0;
    if (pp->use_block_query)
        query_tree(pp, p, text, len, tree, base, &pb);
    else
        walk_tree(pp, p, text, len, tree, base, &pb);
    emit_pending(pp, p, text, len, base, &pb);
}

/* ---- chunks ---- */

static int blank_line(const char *t, uint32_t ls, uint32_t le)
{
    for (uint32_t i = ls; i < le; i++)
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r')
            return 0;
    return 1;
}

static int starts_with_ci(const char *t, uint32_t i, uint32_t le, const char *w)
{
    size_t n = strlen(w);
    return le - i >= n && strncasecmp(t + i, w, n) == 0;
}

/* What a line scan must not cut through. */
typedef enum { OUTSIDE, IN_FRONT, IN_FENCE, IN_HTML } scan_state_t;

typedef struct scanner {
    scan_state_t state;
    char fence_ch;
    uint32_t fence_len;
    const char *html_end; /* end marker of an HTML block of kinds 1-5 */
} scanner_t;

/* Updates the scanner with line [ls, le). */
/* Whether line t[ls, le) closes a fence of 'n' or more 'ch'. The grammar
 * closes a fence on any line that ends with a long enough run of the fence
 * character ("x```" too, unlike CommonMark); chunks must agree with the
 * grammar, so this does the same. One departure is kept on purpose: the
 * grammar does not close a fence whose closing run is followed by spaces,
 * which would make the rest of the document code; this closes it there,
 * as CommonMark and renderers do. */
static int closes_fence(const char *t, uint32_t ls, uint32_t le, char ch, uint32_t n)
{
    uint32_t e = le;
    while (e > ls && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\r'))
        e--;
    uint32_t k = e;
    while (k > ls && t[k - 1] == ch)
        k--;
    return e - k >= n;
}

static void scan_line(scanner_t *sc, const char *t, uint32_t ls, uint32_t le)
{
    uint32_t i = ls, ind = 0;
    while (i < le && t[i] == ' ' && ind < 4)
        i++, ind++;
    switch (sc->state) {
    case IN_FRONT:
        if ((le - ls >= 3 && (strncmp(t + ls, "---", 3) == 0 || strncmp(t + ls, "...", 3) == 0 ||
                              strncmp(t + ls, "+++", 3) == 0)) &&
            blank_line(t, ls + 3, le))
            sc->state = OUTSIDE;
        return;
    case IN_FENCE:
        if (closes_fence(t, ls, le, sc->fence_ch, sc->fence_len))
            sc->state = OUTSIDE;
        return;
    case IN_HTML:
        if (memmem(t + ls, le - ls, sc->html_end, strlen(sc->html_end)))
            sc->state = OUTSIDE;
        return;
    case OUTSIDE:
        break;
    }
    if (ind >= 4 || i >= le)
        return;
    if (t[i] == '`' || t[i] == '~') {
        uint32_t k = i;
        while (k < le && t[k] == t[i])
            k++;
        if (k - i >= 3 && !(t[i] == '`' && memchr(t + k, '`', le - k))) {
            sc->state = IN_FENCE;
            sc->fence_ch = t[i];
            sc->fence_len = k - i;
        }
        return;
    }
    if (t[i] != '<')
        return;
    /* HTML blocks that run past blank lines (CommonMark kinds 1-5). */
    static const struct {
        const char *start, *end;
    } kinds[] = {{"<script", "</script>"}, {"<pre", "</pre>"},       {"<style", "</style>"},
                 {"<textarea", "</textarea>"}, {"<!--", "-->"},       {"<?", "?>"},
                 {"<![CDATA[", "]]>"}};
    for (size_t k = 0; k < GLS_ARRAY_LEN(kinds); k++) {
        if (!starts_with_ci(t, i, le, kinds[k].start))
            continue;
        uint32_t after = i + (uint32_t)strlen(kinds[k].start);
        if (kinds[k].start[1] != '!' && kinds[k].start[1] != '?' && after < le &&
            t[after] != ' ' && t[after] != '>' && t[after] != '\t')
            continue; /* "<prefix" is another tag */
        if (!memmem(t + after, le - after, kinds[k].end, strlen(kinds[k].end))) {
            sc->state = IN_HTML;
            sc->html_end = kinds[k].end;
        }
        return;
    }
    if (le - i >= 3 && t[i + 1] == '!' && isalpha((unsigned char)t[i + 2]) &&
        !memchr(t + i, '>', le - i)) {
        sc->state = IN_HTML;
        sc->html_end = ">";
    }
}

/* The next chunk boundary after 'from' (a boundary itself, with the
 * scanner state there): the start of a non-blank line with no indentation
 * that follows a blank line, outside front matter, fences and HTML blocks
 * that span blank lines. Returns 'len' at the end. */
static uint32_t next_boundary(scanner_t *sc, const char *t, uint32_t len, uint32_t from)
{
    uint32_t ls = from;
    int prev_blank = 0;
    while (ls < len) {
        const char *nl = memchr(t + ls, '\n', len - ls);
        uint32_t le = nl ? (uint32_t)(nl - t) : len;
        int blank = blank_line(t, ls, le);
        /* Not before "---" or "+++": parsed alone, a chunk starting so would
         * read as front matter. */
        if (ls > from && prev_blank && !blank && sc->state == OUTSIDE && t[ls] != ' ' &&
            t[ls] != '\t' &&
            !(le - ls >= 3 && (strncmp(t + ls, "---", 3) == 0 || strncmp(t + ls, "+++", 3) == 0)))
            return ls;
        scan_line(sc, t, ls, le);
        prev_blank = blank;
        ls = nl ? le + 1 : len;
    }
    return len;
}

/* A line starting with 'c' might open or continue a block other than a
 * paragraph (or be a table row, a task item, a BOM'd first line): the
 * fast paths leave such lines to tree-sitter. Digits: "1." lists are not
 * worth telling apart. */
static int may_open_block(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '#' || c == '>' || c == '-' || c == '*' || c == '+' ||
           c == '=' || c == '_' || c == '`' || c == '~' || c == '<' || c == '|' || c == '[' ||
           c == ':' || c == '$' || c == '!' || c == '\\' || c == 0xef /* BOM */ || c == '&' ||
           isdigit(c);
}

/* A chunk that is nothing but one plain paragraph: no line that could
 * start or continue any other block, no table bar, no tabs or CR. Its
 * inline content is the paragraph's bytes without the final line break. */
static int plain_paragraph(const char *t, uint32_t cs, uint32_t ce, uint32_t *end)
{
    uint32_t last = cs; /* end of the last non-blank line */
    uint32_t ls = cs;
    while (ls < ce) {
        const char *nl = memchr(t + ls, '\n', ce - ls);
        uint32_t le = nl ? (uint32_t)(nl - t) : ce;
        if (blank_line(t, ls, le)) {
            /* Only trailing blank lines are allowed. */
            for (uint32_t k = le; k < ce; k++)
                if (t[k] != ' ' && t[k] != '\t' && t[k] != '\r' && t[k] != '\n')
                    return 0;
            break;
        }
        if (may_open_block((unsigned char)t[ls]))
            return 0;
        for (uint32_t k = ls; k < le; k++)
            if (t[k] == '|' || t[k] == '\r' || t[k] == '\t' || t[k] == '\0')
                return 0;
        /* The inline content stops before the last line's trailing spaces
         * (as the grammar has it: when a line break follows them). */
        last = le;
        while (nl && last > ls && t[last - 1] == ' ')
            last--;
        ls = nl ? le + 1 : ce;
    }
    if (last == cs)
        return 0;
    *end = last;
    return 1;
}

/* A chunk that is nothing but one ATX heading line ("## Renewal
 * playbook") and blank lines: 1-6 '#' at the line start, spaces, text; no
 * tabs, CR or NUL. As the grammar has it, the heading's content runs from
 * its first to its last non-space byte, a closing '#' sequence included.
 * Returns the heading level, 0 when the chunk is anything else. */
static int atx_heading(const char *t, uint32_t cs, uint32_t ce, uint32_t *start, uint32_t *end)
{
    const char *nl = memchr(t + cs, '\n', ce - cs);
    uint32_t le = nl ? (uint32_t)(nl - t) : ce;
    for (uint32_t k = le; k < ce; k++)
        if (t[k] != ' ' && t[k] != '\n')
            return 0;
    uint32_t i = cs;
    while (i < le && t[i] == '#')
        i++;
    int level = (int)(i - cs);
    if (level < 1 || level > 6 || i >= le || t[i] != ' ')
        return 0;
    for (uint32_t k = i; k < le; k++)
        if (t[k] == '\t' || t[k] == '\r' || t[k] == '\0')
            return 0;
    while (i < le && t[i] == ' ')
        i++;
    uint32_t e = le;
    while (e > i && t[e - 1] == ' ')
        e--;
    if (e == i)
        return 0;
    *start = i;
    *end = e;
    return level;
}

/* A chunk that is nothing but a tight bullet list of one-line items
 * ("- text", '-', '*' or '+' and one space) and blank lines, each item's
 * text starting as a plain paragraph may start. Each item is one paragraph
 * block from its text's first byte to its last non-space byte. Returns 0,
 * with nothing emitted, when the chunk is anything else. */
static int bullet_list(gls_prose_parser_t *pp, gls_prose_t *p, const char *t, uint32_t len,
                       uint32_t cs, uint32_t ce)
{
    for (int emit = 0; emit < 2; emit++) {
        uint32_t ls = cs;
        int items = 0;
        while (ls < ce) {
            const char *nl = memchr(t + ls, '\n', ce - ls);
            uint32_t le = nl ? (uint32_t)(nl - t) : ce;
            if (blank_line(t, ls, le)) {
                for (uint32_t k = le; k < ce; k++)
                    if (t[k] != ' ' && t[k] != '\n')
                        return 0;
                break;
            }
            if (le - ls < 3 || !(t[ls] == '-' || t[ls] == '*' || t[ls] == '+') ||
                t[ls + 1] != ' ' || may_open_block((unsigned char)t[ls + 2]))
                return 0;
            uint32_t e = le;
            for (uint32_t k = ls + 2; k < le; k++)
                if (t[k] == '|' || t[k] == '\r' || t[k] == '\t' || t[k] == '\0')
                    return 0;
            while (e > ls + 2 && t[e - 1] == ' ')
                e--;
            if (emit) {
                begin_block(p, ls + 2, e, GLS_BLOCK_PARAGRAPH, 0);
                pp->m.cuts.count = 0;
                emit_inline(&pp->m, p, t, len, NULL, ls + 2, e);
                end_block(p);
            }
            items++;
            ls = nl ? le + 1 : ce;
        }
        if (!items)
            return 0;
    }
    return 1;
}

/* Only blank lines in t[from, to). */
static int blank_rest(const char *t, uint32_t from, uint32_t to)
{
    for (uint32_t k = from; k < to; k++)
        if (t[k] != ' ' && t[k] != '\n')
            return 0;
    return 1;
}

/* A chunk that is nothing but one fenced code block (three or more '`' or
 * '~' at the line start, closed as closes_fence says) and blank lines: no
 * prose. */
static int fenced_code(const char *t, uint32_t cs, uint32_t ce)
{
    char f = t[cs];
    if (f != '`' && f != '~')
        return 0;
    uint32_t n = 0;
    while (cs + n < ce && t[cs + n] == f)
        n++;
    const char *nl = memchr(t + cs, '\n', ce - cs);
    if (n < 3 || !nl)
        return 0;
    uint32_t le = (uint32_t)(nl - t);
    if (f == '`' && memchr(t + cs + n, '`', le - cs - n))
        return 0; /* a backtick in the info string: not a fence */
    for (uint32_t ls = le + 1; ls < ce;) {
        nl = memchr(t + ls, '\n', ce - ls);
        le = nl ? (uint32_t)(nl - t) : ce;
        if (closes_fence(t, ls, le, f, n))
            return blank_rest(t, le, ce);
        ls = nl ? le + 1 : ce;
    }
    return 0;
}

/* Splits a pipe-table row t[ls, le) (starting and ending with '|') into
 * cells; with 'emit', each becomes a table-cell block as the grammar has
 * it: from the first non-space byte to the next bar, trailing spaces
 * included, or all of a cell that is only spaces; an empty cell is none.
 * Returns the cell count, or -1 for a row this fast path leaves alone. */
static int pipe_row(gls_prose_parser_t *pp, gls_prose_t *p, const char *t, uint32_t len,
                    uint32_t ls, uint32_t le, int delimiter, int emit)
{
    while (le > ls && t[le - 1] == ' ')
        le--;
    if (le - ls < 2 || t[ls] != '|' || t[le - 1] != '|')
        return -1;
    int cells = 0;
    for (uint32_t a = ls + 1; a < le; cells++) {
        const char *bar = memchr(t + a, '|', le - a);
        uint32_t b = (uint32_t)(bar - t);
        for (uint32_t k = a; k < b; k++)
            if (t[k] == '\\' || t[k] == '`' || t[k] == '\r' || t[k] == '\t' || t[k] == '\0')
                return -1;
        if (delimiter) {
            uint32_t k = a;
            while (k < b && t[k] == ' ')
                k++;
            if (k < b && t[k] == ':')
                k++;
            uint32_t dashes = k;
            while (k < b && t[k] == '-')
                k++;
            if (k == dashes)
                return -1;
            if (k < b && t[k] == ':')
                k++;
            while (k < b && t[k] == ' ')
                k++;
            if (k != b)
                return -1;
        } else if (emit && b > a) {
            uint32_t s0 = a;
            while (s0 < b && t[s0] == ' ')
                s0++;
            if (s0 == b)
                s0 = a;
            begin_block(p, s0, b, GLS_BLOCK_TABLE_CELL, 0);
            pp->m.cuts.count = 0;
            emit_inline(&pp->m, p, t, len, NULL, s0, b);
            end_block(p);
        }
        a = b + 1;
    }
    return cells;
}

/* A chunk that is nothing but one pipe table whose rows all start and end
 * with a bar (header, delimiter row with as many cells, body rows) and
 * blank lines; no backslashes or backticks, which could hide a bar. */
static int pipe_table(gls_prose_parser_t *pp, gls_prose_t *p, const char *t, uint32_t len,
                      uint32_t cs, uint32_t ce)
{
    for (int emit = 0; emit < 2; emit++) {
        int row = 0, header_cells = 0;
        for (uint32_t ls = cs; ls < ce; row++) {
            const char *nl = memchr(t + ls, '\n', ce - ls);
            uint32_t le = nl ? (uint32_t)(nl - t) : ce;
            if (blank_line(t, ls, le)) {
                if (row < 2 || !blank_rest(t, le, ce))
                    return 0;
                break;
            }
            /* A body row that reads as a delimiter row is one to the
             * grammar (no cells): left to it. */
            if (row >= 2 && pipe_row(pp, p, t, len, ls, le, 1, 0) >= 0)
                return 0;
            int cells = pipe_row(pp, p, t, len, ls, le, row == 1, emit);
            if (cells < 0 || (row == 1 && cells != header_cells))
                return 0;
            if (row == 0)
                header_cells = cells;
            ls = nl ? le + 1 : ce;
        }
        if (row < 2)
            return 0;
    }
    return 1;
}

/* Parses chunk [cs, ce) into blocks appended to 'p'. 'old' (stolen, may
 * be NULL) is the chunk's previous tree, already edited; the new tree is
 * returned when it is worth keeping, else NULL. */
static TSTree *parse_chunk(gls_prose_parser_t *pp, gls_prose_t *p, const char *text,
                           uint32_t len, uint32_t cs, uint32_t ce, TSTree *old)
{
    uint32_t pe;
    if (pp->fast_path && cs > 0 && plain_paragraph(text, cs, ce, &pe)) {
        if (old)
            ts_tree_delete(old);
        pp->stats.chunks_fast++;
        begin_block(p, cs, pe, GLS_BLOCK_PARAGRAPH, 0);
        pp->m.cuts.count = 0;
        emit_inline(&pp->m, p, text, len, NULL, cs, pe);
        end_block(p);
        return NULL;
    }
    uint32_t hs;
    int level = pp->fast_path && cs > 0 ? atx_heading(text, cs, ce, &hs, &pe) : 0;
    if (level) {
        if (old)
            ts_tree_delete(old);
        pp->stats.chunks_fast++;
        begin_block(p, hs, pe, GLS_BLOCK_HEADING, (uint8_t)level);
        pp->m.cuts.count = 0;
        emit_inline(&pp->m, p, text, len, NULL, hs, pe);
        end_block(p);
        return NULL;
    }
    if (pp->fast_path && cs > 0 &&
        (fenced_code(text, cs, ce) || bullet_list(pp, p, text, len, cs, ce) ||
         pipe_table(pp, p, text, len, cs, ce))) {
        if (old)
            ts_tree_delete(old);
        pp->stats.chunks_fast++;
        return NULL;
    }
    pp->stats.chunks_parsed++;
    if (too_deep(text, len, cs, ce)) {
        if (old)
            ts_tree_delete(old);
        /* tree-sitter-markdown would crash on it: plain text instead. */
        gls_log_warn("a block nests more than %d deep; read as plain text", MAX_MARKDOWN_NESTING);
        gls_prose_t tmp;
        gls_prose_init(&tmp);
        extract_text(&tmp, text + cs, ce - cs);
        for (size_t i = 0; i < tmp.block_count; i++) {
            gls_block_t *b = &tmp.blocks[i];
            begin_block(p, cs + b->start, cs + b->end, (gls_block_kind_t)b->kind, 0);
            for (uint32_t k = 0; k < b->seg_count; k++) {
                gls_segment_t *sg = &tmp.segs[b->seg_first + k];
                add_segment(p, cs + sg->start, cs + sg->end, (gls_sep_t)sg->sep);
            }
            end_block(p);
        }
        gls_prose_close(&tmp);
        return NULL;
    }
    if (old)
        pp->stats.trees_reused++;
    TSTree *tree = budgeted_parse(pp->block_parser, old, text + cs, ce - cs, ce - cs, &pp->stats);
    if (old)
        ts_tree_delete(old);
    if (!tree)
        return NULL;
    extract_tree(pp, p, text, len, tree, cs);
    if (ce - cs >= pp->keep_tree_bytes)
        return tree;
    ts_tree_delete(tree);
    return NULL;
}

static void push_chunk(gls_prose_parser_t *pp, chunk_t c)
{
    if (pp->chunk_count == pp->chunk_cap) {
        pp->chunk_cap = pp->chunk_cap ? pp->chunk_cap * 2 : 64;
        pp->chunks = gls_xrealloc(pp->chunks, pp->chunk_cap * sizeof *pp->chunks);
    }
    pp->chunks[pp->chunk_count++] = c;
}

static void initial_state(scanner_t *sc, const char *t, uint32_t len)
{
    memset(sc, 0, sizeof *sc);
    if (len >= 3 && (strncmp(t, "---", 3) == 0 || strncmp(t, "+++", 3) == 0) &&
        (len == 3 || t[3] == '\n' || t[3] == '\r'))
        sc->state = IN_FRONT; /* the opening line itself is consumed below */
}

void gls_prose_parse(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                     gls_language_t lang)
{
    gls_prose_clear(p);
    for (size_t i = 0; i < pp->chunk_count; i++)
        if (pp->chunks[i].tree)
            ts_tree_delete(pp->chunks[i].tree);
    pp->chunk_count = 0;
    pp->active = 0;
    if (lang != GLS_LANGUAGE_MARKDOWN) {
        extract_text(p, text, len);
        return;
    }
    scanner_t sc;
    initial_state(&sc, text, len);
    uint32_t cs = 0;
    if (sc.state == IN_FRONT) {
        /* Skip the opening "---" line so it does not close itself. */
        const char *nl = memchr(text, '\n', len);
        cs = nl ? (uint32_t)(nl - text) + 1 : len;
    }
    uint32_t start = 0;
    while (start < len) {
        uint32_t ce = pp->chunking ? next_boundary(&sc, text, len, cs) : len;
        chunk_t c = {start, ce, (uint32_t)p->block_count, 0, NULL};
        c.tree = parse_chunk(pp, p, text, len, start, ce, NULL);
        c.block_count = (uint32_t)p->block_count - c.first_block;
        push_chunk(pp, c);
        start = cs = ce;
    }
    pp->active = 1;
}

/* memcpy that accepts a NULL source when there is nothing to copy. */
static void copy_n(void *dst, const void *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

/* Maps a start or end offset of the old text through one edit. */
static uint32_t map_start(uint32_t x, const gls_text_edit_t *ed)
{
    if (x <= ed->start)
        return x;
    if (x >= ed->old_end)
        return (uint32_t)((int64_t)x + (int64_t)ed->new_end - (int64_t)ed->old_end);
    return ed->start;
}

static uint32_t map_end(uint32_t x, const gls_text_edit_t *ed)
{
    if (x < ed->start)
        return x;
    if (x >= ed->old_end)
        return (uint32_t)((int64_t)x + (int64_t)ed->new_end - (int64_t)ed->old_end);
    return ed->new_end;
}

/* Shifts block 'b' and its segments by 'delta' bytes. */
static void shift_block(gls_prose_t *p, gls_block_t *b, int64_t delta)
{
    b->start = (uint32_t)((int64_t)b->start + delta);
    b->end = (uint32_t)((int64_t)b->end + delta);
    for (uint32_t k = 0; k < b->seg_count; k++) {
        gls_segment_t *sg = &p->segs[b->seg_first + k];
        sg->start = (uint32_t)((int64_t)sg->start + delta);
        sg->end = (uint32_t)((int64_t)sg->end + delta);
    }
}

/* The total shift that pending suffix shifts give chunk 'i': the running
 * sum of the last entry at or before it. */
static int64_t pending_shift(const size_t *at, const int64_t *sum, size_t n, size_t i)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at[mid] <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? sum[lo - 1] : 0;
}

/* Adds "every chunk from 'i' on moves by 'delta'", keeping the list sorted
 * by chunk and its running sums right. */
static void add_pending_shift(size_t *at, int64_t *sum, size_t *n, size_t i, int64_t delta)
{
    size_t k = *n;
    while (k > 0 && at[k - 1] > i)
        k--;
    if (k > 0 && at[k - 1] == i) {
        for (size_t j = k - 1; j < *n; j++)
            sum[j] += delta;
        return;
    }
    memmove(at + k + 1, at + k, (*n - k) * sizeof *at);
    memmove(sum + k + 1, sum + k, (*n - k) * sizeof *sum);
    at[k] = i;
    sum[k] = (k ? sum[k - 1] : 0) + delta;
    for (size_t j = k + 1; j <= *n; j++)
        sum[j] += delta;
    (*n)++;
}

/* Re-splits one run of dirty chunks [lo, hi] (lo already one chunk early)
 * until a new boundary lands on the start of a chunk past 'hi', re-parses
 * what it covers and splices the new blocks and chunks in place. Block and
 * segment offsets are already final (shifted before the first run).
 * 'reuse' is a chunk whose tree was edited for the single edit, or
 * SIZE_MAX. Returns the index (in the new chunk list) of the first chunk
 * after the run, and fills 'sp' and '*resume_out' (that chunk's index in
 * the list as it was before this run). */
static size_t resplit_run(gls_prose_parser_t *pp, gls_prose_t *p, const char *text,
                          uint32_t len, size_t lo, size_t hi, size_t reuse, uint32_t reuse_end,
                          gls_prose_splice_t *sp, size_t *resume_out)
{
    gls_prose_t fresh;
    gls_prose_init(&fresh);
    chunk_t *newc = NULL;
    size_t nnew = 0, capnew = 0;
    scanner_t sc;
    initial_state(&sc, text, len);
    uint32_t start = pp->chunks[lo].start, cs = start;
    if (lo == 0 && sc.state == IN_FRONT) {
        const char *nl = memchr(text, '\n', len);
        cs = nl ? (uint32_t)(nl - text) + 1 : len;
    } else if (lo > 0) {
        sc.state = OUTSIDE;
    }
    size_t resume = pp->chunk_count; /* first old chunk kept after the new ones */
    size_t k = hi + 1;
    while (start < len) {
        uint32_t ce = next_boundary(&sc, text, len, cs);
        chunk_t c = {start, ce, (uint32_t)fresh.block_count, 0, NULL};
        TSTree *old = NULL;
        /* Only for the same chunk: an old tree knows nothing of text that a
         * merge with a neighbour would add. */
        if (reuse != SIZE_MAX && pp->chunks[reuse].start == start && ce == reuse_end) {
            old = pp->chunks[reuse].tree;
            pp->chunks[reuse].tree = NULL;
        }
        c.tree = parse_chunk(pp, &fresh, text, len, start, ce, old);
        c.block_count = (uint32_t)fresh.block_count - c.first_block;
        if (nnew == capnew) {
            capnew = capnew ? capnew * 2 : 16;
            newc = gls_xrealloc(newc, capnew * sizeof *newc);
        }
        newc[nnew++] = c;
        start = cs = ce;
        while (k < pp->chunk_count && pp->chunks[k].start < ce)
            k++;
        if (k < pp->chunk_count && pp->chunks[k].start == ce && sc.state == OUTSIDE) {
            resume = k;
            break;
        }
    }
    if (start >= len)
        resume = pp->chunk_count;
    /* Splice blocks and segments in place: the blocks of old chunks
     * [lo, resume) are replaced by 'fresh'; the tail moves (memmove) only
     * when the counts differ. */
    uint32_t first = pp->chunks[lo].first_block;
    uint32_t last = resume < pp->chunk_count ? pp->chunks[resume].first_block
                                             : (uint32_t)p->block_count;
    size_t removed = last - first, added = fresh.block_count;
    uint32_t seg_lo = first < p->block_count ? p->blocks[first].seg_first : (uint32_t)p->seg_count;
    uint32_t seg_hi = last < p->block_count ? p->blocks[last].seg_first : (uint32_t)p->seg_count;
    size_t new_blocks = p->block_count - removed + added;
    size_t new_segs = p->seg_count - (seg_hi - seg_lo) + fresh.seg_count;
    size_t block_tail = p->block_count - last, seg_tail = p->seg_count - seg_hi;
    if (new_blocks + 1 > p->block_cap) {
        p->block_cap = new_blocks + new_blocks / 2 + 16;
        p->blocks = gls_xrealloc(p->blocks, p->block_cap * sizeof *p->blocks);
    }
    if (new_segs + 1 > p->seg_cap) {
        p->seg_cap = new_segs + new_segs / 2 + 16;
        p->segs = gls_xrealloc(p->segs, p->seg_cap * sizeof *p->segs);
    }
    if (block_tail && added != removed)
        memmove(p->blocks + first + added, p->blocks + last, block_tail * sizeof *p->blocks);
    if (seg_tail && fresh.seg_count != seg_hi - seg_lo)
        memmove(p->segs + seg_lo + fresh.seg_count, p->segs + seg_hi,
                seg_tail * sizeof *p->segs);
    for (size_t i = 0; i < added; i++) {
        p->blocks[first + i] = fresh.blocks[i];
        p->blocks[first + i].seg_first += seg_lo;
    }
    copy_n(p->segs + seg_lo, fresh.segs, fresh.seg_count * sizeof *p->segs);
    int64_t seg_shift = (int64_t)fresh.seg_count - (int64_t)(seg_hi - seg_lo);
    p->block_count = new_blocks;
    p->seg_count = new_segs;
    if (seg_shift != 0)
        for (size_t i = first + added; i < new_blocks; i++)
            p->blocks[i].seg_first = (uint32_t)((int64_t)p->blocks[i].seg_first + seg_shift);
    gls_prose_close(&fresh);
    /* The chunk list the same way: in place when the count is unchanged. */
    for (size_t i = lo; i < resume; i++)
        if (pp->chunks[i].tree)
            ts_tree_delete(pp->chunks[i].tree);
    size_t keep_after = pp->chunk_count - resume;
    size_t total = lo + nnew + keep_after;
    if (total + 1 > pp->chunk_cap) {
        pp->chunk_cap = total + total / 2 + 16;
        pp->chunks = gls_xrealloc(pp->chunks, pp->chunk_cap * sizeof *pp->chunks);
    }
    if (keep_after && nnew != resume - lo)
        memmove(pp->chunks + lo + nnew, pp->chunks + resume, keep_after * sizeof *pp->chunks);
    for (size_t i = 0; i < nnew; i++) {
        pp->chunks[lo + i] = newc[i];
        pp->chunks[lo + i].first_block += first;
    }
    int64_t block_shift = (int64_t)added - (int64_t)removed;
    if (block_shift != 0)
        for (size_t i = lo + nnew; i < total; i++)
            pp->chunks[i].first_block =
                (uint32_t)((int64_t)pp->chunks[i].first_block + block_shift);
    free(newc);
    pp->chunk_count = total;
    *resume_out = resume;
    sp->first = first;
    sp->removed = removed;
    sp->added = added;
    return lo + nnew;
}

int gls_prose_reparse(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                      const gls_text_edit_t *edits, size_t n, gls_prose_splices_t *out)
{
    out->count = 0;
    if (!pp->active || n == 0 || pp->chunk_count == 0 || !pp->chunking)
        return -1;
    /* 1. Carry the chunks through the edits. A chunk touched by an edit
     * (or ending right where one starts: the blank line between two chunks
     * belongs to the first) is dirty; the others keep their blocks. */
    /* A single edit inside one chunk with a kept tree: that tree is edited
     * in the chunk's own coordinates and re-used. */
    size_t reuse = SIZE_MAX;
    uint32_t reuse_end = 0;
    if (n == 1) {
        const gls_text_edit_t *ed = &edits[0];
        for (size_t i = 0; i < pp->chunk_count; i++) {
            chunk_t *c = &pp->chunks[i];
            if (c->tree && c->start <= ed->start && ed->old_end < c->end) {
                uint32_t rows = 0;
                for (uint32_t k = c->start; k < ed->start; k++)
                    rows += text[k] == '\n';
                uint32_t row0 = ed->start_row - rows;
                TSInputEdit te = {ed->start - c->start,
                                  ed->old_end - c->start,
                                  ed->new_end - c->start,
                                  {ed->start_row - row0, ed->start_col},
                                  {ed->old_end_row - row0, ed->old_end_col},
                                  {ed->new_end_row - row0, ed->new_end_col}};
                ts_tree_edit(c->tree, &te);
                reuse = i;
                reuse_end = (uint32_t)((int64_t)c->end + (int64_t)ed->new_end -
                                       (int64_t)ed->old_end);
            }
        }
    }
    if (pp->scratch_cap < pp->chunk_count) {
        pp->scratch_cap = pp->chunk_count + pp->chunk_count / 2;
        free(pp->old_start);
        free(pp->dirty);
        pp->old_start = gls_xmalloc(pp->scratch_cap * sizeof *pp->old_start);
        pp->dirty = gls_xmalloc(pp->scratch_cap);
    }
    uint32_t *old_start = pp->old_start;
    unsigned char *dirty = pp->dirty;
    memset(dirty, 0, pp->chunk_count);
    size_t ndirty = 0;
    for (size_t i = 0; i < pp->chunk_count; i++)
        old_start[i] = pp->chunks[i].start;
    /* Each edit touches a contiguous range of chunks (found by binary
     * search) and shifts every chunk after it: the shifts are kept as a
     * short list of (first chunk, delta) with running sums and applied
     * once at the end, so n edits cost O(n log n + n^2), not O(n x chunks). */
    size_t *pend_at = gls_xmalloc(n * sizeof *pend_at);
    int64_t *pend_sum = gls_xmalloc(n * sizeof *pend_sum); /* sum of deltas [0..k] */
    size_t npend = 0;
    for (size_t e = 0; e < n; e++) {
        const gls_text_edit_t *ed = &edits[e];
        size_t lo = 0, hi = pp->chunk_count;
        while (lo < hi) { /* first chunk whose current end >= ed->start */
            size_t mid = lo + (hi - lo) / 2;
            int64_t sh = pending_shift(pend_at, pend_sum, npend, mid);
            if ((int64_t)pp->chunks[mid].end + sh < (int64_t)ed->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t i = lo;
        for (; i < pp->chunk_count; i++) {
            chunk_t *c = &pp->chunks[i];
            int64_t sh = pending_shift(pend_at, pend_sum, npend, i);
            uint32_t cs = (uint32_t)((int64_t)c->start + sh), ce = (uint32_t)((int64_t)c->end + sh);
            if (cs > ed->old_end)
                break;
            if (!dirty[i]) {
                dirty[i] = 1;
                ndirty++;
            }
            c->start = (uint32_t)((int64_t)map_start(cs, ed) - sh);
            c->end = (uint32_t)((int64_t)map_end(ce, ed) - sh);
        }
        int64_t delta = (int64_t)ed->new_end - (int64_t)ed->old_end;
        if (delta != 0 && i < pp->chunk_count)
            add_pending_shift(pend_at, pend_sum, &npend, i, delta);
    }
    if (npend > 0)
        for (size_t i = pend_at[0]; i < pp->chunk_count; i++) {
            int64_t sh = pending_shift(pend_at, pend_sum, npend, i);
            pp->chunks[i].start = (uint32_t)((int64_t)pp->chunks[i].start + sh);
            pp->chunks[i].end = (uint32_t)((int64_t)pp->chunks[i].end + sh);
        }
    free(pend_at);
    free(pend_sum);
    if (ndirty == 0) {
        dirty[pp->chunk_count - 1] = 1;
        ndirty = 1;
    }
    /* 2. The blocks of every chunk move with it: shift them once to their
     * final offsets, and record for the caller how far the records of each
     * stretch between two dirty runs move. */
    for (size_t i = 0; i < pp->chunk_count; i++) {
        int64_t d = (int64_t)pp->chunks[i].start - (int64_t)old_start[i];
        if (d != 0 && !dirty[i])
            for (uint32_t b = 0; b < pp->chunks[i].block_count; b++)
                shift_block(p, &p->blocks[pp->chunks[i].first_block + b], d);
    }
    /* 3. Re-split run by run, left to right. Dirty chunks closer than two
     * chunks are one run. Indexes: 'i' counts the old list; a chunk past
     * the runs done so far is at i + offset in the current one. */
    int64_t shift_before = 0; /* how far the records before this run moved */
    ptrdiff_t offset = 0;
    size_t old_count = pp->chunk_count, done_old = 0, fresh_until = 0;
    for (size_t i = 0; i < old_count; i++) {
        if (!dirty[i] || i < done_old)
            continue;
        size_t hi = i;
        while (hi + 1 < old_count && (dirty[hi + 1] || (hi + 2 < old_count && dirty[hi + 2])))
            hi++;
        size_t lo_cur = (size_t)((ptrdiff_t)i + offset);
        size_t hi_cur = (size_t)((ptrdiff_t)hi + offset);
        /* Chunk starts are boundaries only in context: an edit at the start
         * of a chunk may join it to the one before, so start one chunk
         * early, unless that one was just re-split (its end is a boundary
         * of the new text). */
        if (lo_cur > 0 && !(fresh_until > 0 && lo_cur == fresh_until))
            lo_cur--;
        if (out->count == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 8;
            out->items = gls_xrealloc(out->items, out->cap * sizeof *out->items);
        }
        gls_prose_splice_t *sp = &out->items[out->count++];
        size_t resume_cur;
        size_t next = resplit_run(pp, p, text, len, lo_cur, hi_cur, reuse, reuse_end, sp,
                                  &resume_cur);
        size_t resume_old = (size_t)((ptrdiff_t)resume_cur - offset);
        int64_t shift_after = shift_before;
        if (resume_old < old_count && next < pp->chunk_count)
            shift_after = (int64_t)pp->chunks[next].start - (int64_t)old_start[resume_old];
        sp->delta = shift_after - shift_before;
        shift_before = shift_after;
        offset += (ptrdiff_t)next - (ptrdiff_t)resume_cur;
        done_old = resume_old;
        fresh_until = next;
        if (resume_old > i + 1)
            i = resume_old - 1;
        else
            i = hi;
    }
    return 0;
}

void gls_prose_extract(gls_prose_t *p, const char *text, uint32_t len, gls_language_t lang)
{
    gls_prose_parser_t *pp = gls_prose_parser_new();
    gls_prose_parse(pp, p, text, len, lang);
    gls_prose_parser_free(pp);
}

void gls_prose_tokenize_block(const gls_prose_t *p, size_t block, const char *text,
                              gls_tokens_t *out)
{
    const gls_block_t *b = &p->blocks[block];
    gls_sep_t carry = GLS_SEP_HARD;
    for (uint32_t k = 0; k < b->seg_count; k++) {
        const gls_segment_t *s = &p->segs[b->seg_first + k];
        gls_sep_t first = k == 0 ? GLS_SEP_HARD : (gls_sep_t)s->sep;
        /* What ended the previous segment (trailing punctuation) counts too. */
        if (k > 0 && carry > first)
            first = carry;
        carry = gls_tokenize(text, s->start, s->end, first, out);
    }
}
