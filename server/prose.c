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

/* Queries are compiled once and shared: a TSQuery is immutable. */
static TSQuery *block_query, *inline_query;
static uint32_t cap_prose, cap_heading, cap_cell, cap_continuation, cap_skip, cap_markup;
static pthread_once_t queries_once = PTHREAD_ONCE_INIT;

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

static void compile_queries(void)
{
    block_query = compile(tree_sitter_markdown(), gls_query_prose_block,
                          gls_query_prose_block_end, "prose-block.scm");
    inline_query = compile(tree_sitter_markdown_inline(), gls_query_prose_inline,
                           gls_query_prose_inline_end, "prose-inline.scm");
    cap_prose = capture_id(block_query, "prose");
    cap_heading = capture_id(block_query, "heading");
    cap_cell = capture_id(block_query, "cell");
    cap_continuation = capture_id(block_query, "continuation");
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
        begin_block(p, start, end, GLS_BLOCK_PARAGRAPH, 0);
        add_segment(p, start, end, GLS_SEP_HARD);
        end_block(p);
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

typedef struct md_ctx {
    TSParser *inline_parser;
    TSQueryCursor *cursor;
    cuts_t cuts;
    TSRange *ranges;
    size_t range_cap;
} md_ctx_t;

/* Emits the segments of the inline range [start, end) minus the
 * continuation cuts already in 'c' and minus what the inline query cuts. */
static void emit_inline(md_ctx_t *m, gls_prose_t *p, const char *text, uint32_t len,
                        const TSNode *inl, uint32_t start, uint32_t end)
{
    cuts_t *c = &m->cuts;
    size_t continuation_cuts = c->count;
    if (needs_inline_parse(text, start, end)) {
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
            TSTree *tree = ts_parser_parse_string(m->inline_parser, NULL, text, len);
            if (tree) {
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

struct gls_prose_parser {
    TSParser *block_parser;
    TSTree *tree;            /* the last block tree, for incremental reparses */
    TSQueryCursor *block_cursor;
    md_ctx_t m;
};

gls_prose_parser_t *gls_prose_parser_new(void)
{
    pthread_once(&queries_once, compile_queries);
    gls_prose_parser_t *pp = gls_xcalloc(1, sizeof *pp);
    pp->block_parser = ts_parser_new();
    ts_parser_set_language(pp->block_parser, tree_sitter_markdown());
    pp->m.inline_parser = ts_parser_new();
    ts_parser_set_language(pp->m.inline_parser, tree_sitter_markdown_inline());
    pp->m.cursor = ts_query_cursor_new();
    pp->block_cursor = ts_query_cursor_new();
    return pp;
}

void gls_prose_parser_free(gls_prose_parser_t *pp)
{
    if (!pp)
        return;
    if (pp->tree)
        ts_tree_delete(pp->tree);
    ts_query_cursor_delete(pp->block_cursor);
    ts_query_cursor_delete(pp->m.cursor);
    ts_parser_delete(pp->m.inline_parser);
    ts_parser_delete(pp->block_parser);
    free(pp->m.cuts.items);
    free(pp->m.ranges);
    free(pp);
}

/* Emits into 'p' the prose blocks of the tree whose nodes intersect
 * [lo, hi); sets [*cov_lo, *cov_hi) to the bytes those blocks span (lo, hi
 * when there are none). */
static void extract_markdown_range(gls_prose_parser_t *pp, gls_prose_t *p, const char *text,
                                   uint32_t len, uint32_t lo, uint32_t hi, uint32_t *cov_lo,
                                   uint32_t *cov_hi)
{
    md_ctx_t *m = &pp->m;
    TSQueryCursor *bc = pp->block_cursor;
    *cov_lo = lo;
    *cov_hi = hi;
    m->cuts.count = 0;
    ts_query_cursor_exec(bc, block_query, ts_tree_root_node(pp->tree));
    ts_query_cursor_set_byte_range(bc, lo, hi);
    TSQueryMatch qm;
    uint32_t ci;
    /* Captures arrive in document order; continuation captures follow the
     * inline node they belong to, so an inline block is emitted when the
     * next non-continuation capture (or the end) arrives. */
    TSNode pending = {0};
    int have_pending = 0;
    gls_block_kind_t pending_kind = GLS_BLOCK_PARAGRAPH;
    uint8_t pending_level = 0;
    for (;;) {
        int more = ts_query_cursor_next_capture(bc, &qm, &ci);
        const TSQueryCapture *cap = more ? &qm.captures[ci] : NULL;
        if (cap && cap->index == cap_continuation) {
            if (have_pending)
                cut(&m->cuts, ts_node_start_byte(cap->node), ts_node_end_byte(cap->node),
                    GLS_SEP_SPACE);
            continue;
        }
        if (have_pending) {
            uint32_t a = ts_node_start_byte(pending), b = ts_node_end_byte(pending);
            if (a < *cov_lo)
                *cov_lo = a;
            if (b > *cov_hi)
                *cov_hi = b;
            begin_block(p, a, b, pending_kind, pending_level);
            if (m->cuts.count > 1)
                qsort(m->cuts.items, m->cuts.count, sizeof *m->cuts.items, cut_cmp);
            emit_inline(m, p, text, len, &pending, a, b);
            end_block(p);
            have_pending = 0;
            m->cuts.count = 0;
        }
        if (!cap)
            break;
        TSNode n = cap->node;
        if (ts_node_end_byte(n) <= ts_node_start_byte(n))
            continue;
        if (cap->index == cap_prose) {
            TSNode parent = ts_node_parent(n);
            TSNode grand = ts_node_is_null(parent) ? parent : ts_node_parent(parent);
            int setext = !ts_node_is_null(grand) &&
                         strcmp(ts_node_type(grand), "setext_heading") == 0;
            pending_kind = setext ? GLS_BLOCK_HEADING : GLS_BLOCK_PARAGRAPH;
            pending_level = 0;
            if (setext) {
                uint32_t nc = ts_node_child_count(grand);
                for (uint32_t k = 0; k < nc; k++) {
                    const char *t = ts_node_type(ts_node_child(grand, k));
                    if (strcmp(t, "setext_h1_underline") == 0)
                        pending_level = 1;
                    else if (strcmp(t, "setext_h2_underline") == 0)
                        pending_level = 2;
                }
            }
        } else if (cap->index == cap_heading) {
            pending_kind = GLS_BLOCK_HEADING;
            TSNode h = ts_node_parent(n);
            pending_level = 1;
            uint32_t nc = ts_node_child_count(h);
            for (uint32_t k = 0; k < nc; k++) {
                const char *t = ts_node_type(ts_node_child(h, k));
                if (strncmp(t, "atx_h", 5) == 0 && t[5] >= '1' && t[5] <= '6')
                    pending_level = (uint8_t)(t[5] - '0');
            }
        } else if (cap->index == cap_cell) {
            pending_kind = GLS_BLOCK_TABLE_CELL;
            pending_level = 0;
        } else {
            continue;
        }
        pending = n;
        have_pending = 1;
    }
}

void gls_prose_parse(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                     gls_language_t lang)
{
    gls_prose_clear(p);
    if (pp->tree) {
        ts_tree_delete(pp->tree);
        pp->tree = NULL;
    }
    if (lang == GLS_LANGUAGE_MARKDOWN && too_deep(text, len, 0, len)) {
        gls_log_warn("a document nests blocks more than %d deep; it is read as plain text",
                     MAX_MARKDOWN_NESTING);
        lang = GLS_LANGUAGE_TEXT;
    }
    if (lang != GLS_LANGUAGE_MARKDOWN) {
        extract_text(p, text, len);
        return;
    }
    pp->tree = ts_parser_parse_string(pp->block_parser, NULL, text, len);
    if (!pp->tree)
        return;
    uint32_t a, b;
    extract_markdown_range(pp, p, text, len, 0, len, &a, &b);
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

int gls_prose_reparse(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                      const gls_text_edit_t *edits, size_t n, gls_prose_splice_t *out)
{
    if (!pp->tree || n == 0)
        return -1;
    /* An edit that nests blocks too deep: start over (as plain text). */
    for (size_t e = 0; e < n; e++)
        if (too_deep(text, len, edits[e].start, edits[e].new_end))
            return -1;
    /* 1. Carry the old blocks through the edits: blocks touching an edit
     * are dirty; every range is mapped into the new coordinates (a mapping
     * that keeps the blocks sorted); the dirty bytes form one range. */
    uint8_t *dirty = gls_xcalloc(p->block_count + 1, 1);
    int have = 0;
    uint32_t lo = 0, hi = 0;
    for (size_t e = 0; e < n; e++) {
        const gls_text_edit_t *ed = &edits[e];
        int64_t delta = (int64_t)ed->new_end - (int64_t)ed->old_end;
        for (size_t i = 0; i < p->block_count; i++) {
            gls_block_t *b = &p->blocks[i];
            if (b->end < ed->start)
                continue;
            if (b->start > ed->old_end && !dirty[i]) {
                shift_block(p, b, delta);
                continue;
            }
            dirty[i] = 1;
            b->start = map_start(b->start, ed);
            b->end = map_end(b->end, ed);
        }
        if (have) {
            lo = map_start(lo, ed);
            hi = map_end(hi, ed);
        }
        if (!have || ed->start < lo)
            lo = ed->start;
        if (!have || ed->new_end > hi)
            hi = ed->new_end;
        have = 1;
        TSInputEdit te = {ed->start,
                          ed->old_end,
                          ed->new_end,
                          {ed->start_row, ed->start_col},
                          {ed->old_end_row, ed->old_end_col},
                          {ed->new_end_row, ed->new_end_col}};
        ts_tree_edit(pp->tree, &te);
    }
    for (size_t i = 0; i < p->block_count; i++) {
        if (!dirty[i])
            continue;
        if (p->blocks[i].start < lo)
            lo = p->blocks[i].start;
        if (p->blocks[i].end > hi)
            hi = p->blocks[i].end;
    }
    free(dirty);
    /* 2. Reparse, reusing the old tree, and add what tree-sitter says
     * changed. */
    TSTree *old = pp->tree;
    TSTree *tree = ts_parser_parse_string(pp->block_parser, old, text, len);
    if (!tree)
        return -1;
    uint32_t nr = 0;
    TSRange *changed = ts_tree_get_changed_ranges(old, tree, &nr);
    for (uint32_t k = 0; k < nr; k++) {
        if (changed[k].start_byte < lo)
            lo = changed[k].start_byte;
        if (changed[k].end_byte > hi)
            hi = changed[k].end_byte;
    }
    free(changed);
    ts_tree_delete(old);
    pp->tree = tree;
    if (hi > len)
        hi = len;
    if (lo > hi)
        lo = hi;
    /* 3. Extract the new blocks; widen the range until it covers whole
     * blocks, old and new alike. */
    gls_prose_t fresh;
    gls_prose_init(&fresh);
    size_t first = 0, last = 0;
    for (int round = 0; round < 8; round++) {
        uint32_t a, b;
        gls_prose_clear(&fresh);
        extract_markdown_range(pp, &fresh, text, len, lo, hi, &a, &b);
        /* Old blocks (already in new coordinates) overlapping [a, b]. */
        first = 0;
        while (first < p->block_count && p->blocks[first].end < a)
            first++;
        last = first;
        while (last < p->block_count && p->blocks[last].start <= b)
            last++;
        uint32_t na = a, nb = b;
        if (first < last) {
            if (p->blocks[first].start < na)
                na = p->blocks[first].start;
            if (p->blocks[last - 1].end > nb)
                nb = p->blocks[last - 1].end;
        }
        if (na >= lo && nb <= hi && round > 0)
            break;
        lo = na < lo ? na : lo;
        hi = nb > hi ? nb : hi;
    }
    /* 4. Splice: blocks [first, last) are replaced by 'fresh'. */
    size_t removed = last - first, added = fresh.block_count;
    uint32_t seg_lo = first < p->block_count ? p->blocks[first].seg_first : (uint32_t)p->seg_count;
    uint32_t seg_hi = last < p->block_count ? p->blocks[last].seg_first : (uint32_t)p->seg_count;
    size_t new_blocks = p->block_count - removed + added;
    size_t new_segs = p->seg_count - (seg_hi - seg_lo) + fresh.seg_count;
    gls_block_t *blocks = gls_xmalloc((new_blocks + 1) * sizeof *blocks);
    gls_segment_t *segs = gls_xmalloc((new_segs + 1) * sizeof *segs);
    memcpy(blocks, p->blocks, first * sizeof *blocks);
    memcpy(segs, p->segs, seg_lo * sizeof *segs);
    for (size_t i = 0; i < added; i++) {
        blocks[first + i] = fresh.blocks[i];
        blocks[first + i].seg_first += seg_lo;
    }
    memcpy(segs + seg_lo, fresh.segs, fresh.seg_count * sizeof *segs);
    int64_t seg_shift = (int64_t)fresh.seg_count - (int64_t)(seg_hi - seg_lo);
    for (size_t i = last; i < p->block_count; i++) {
        blocks[i - removed + added] = p->blocks[i];
        blocks[i - removed + added].seg_first =
            (uint32_t)((int64_t)p->blocks[i].seg_first + seg_shift);
    }
    memcpy(segs + seg_lo + fresh.seg_count, p->segs + seg_hi,
           (p->seg_count - seg_hi) * sizeof *segs);
    free(p->blocks);
    free(p->segs);
    p->blocks = blocks;
    p->block_count = p->block_cap = new_blocks;
    p->segs = segs;
    p->seg_count = p->seg_cap = new_segs;
    if (p->block_cap == 0) {
        free(p->blocks);
        p->blocks = NULL;
    }
    gls_prose_close(&fresh);
    out->first = first;
    out->removed = removed;
    out->added = added;
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
