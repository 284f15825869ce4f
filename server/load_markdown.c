/* load_markdown.c: Markdown glossary pages (a heading per term, bullets,
 * definition lists, MkDocs abbreviations, labelled lines) read with the
 * tree-sitter Markdown grammars into the builder. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "gls/loader.h"
#include "gls/strmap.h"
#include "gls/text.h"
#include "gls/util.h"

const TSLanguage *tree_sitter_markdown(void);
const TSLanguage *tree_sitter_markdown_inline(void);

/* A byte range of the text. */
typedef struct span {
    uint32_t start, end;
} span_t;

typedef struct mform {
    char *text, *use; /* owned; 'use' only for GLS_FORM_AVOID, NULL: the term */
    gls_form_kind_t kind;
    uint32_t line, column;
} mform_t;

typedef enum entry_kind {
    ENTRY_HEADING,
    ENTRY_BULLET,
    ENTRY_DEFLIST,
    ENTRY_ABBR /* only an abbreviation line: needs no definition */
} entry_kind_t;

typedef struct entry {
    char *term; /* owned, plain text */
    uint32_t line, column;
    entry_kind_t kind;
    mform_t *forms;
    size_t nforms, formcap;
    char **see;
    size_t nsee, seecap;
    gls_buf_t def; /* Markdown, as written */
} entry_t;

/* '*[ABBR]: expansion' */
typedef struct abbr_decl {
    char *abbr, *expansion;
    uint32_t line, column;
} abbr_decl_t;

typedef enum blk_kind {
    BLK_HEADING,
    BLK_PARA,
    BLK_LIST,
    BLK_QUOTE,
    BLK_INDENTED, /* lines indented under a definition-list definition */
    BLK_OTHER
} blk_kind_t;

/* A top-level block in document order; sections are flattened away. */
typedef struct blk {
    TSNode node;
    blk_kind_t kind;
    int level; /* headings: 1..6 */
} blk_t;

typedef enum label {
    LABEL_NONE,
    LABEL_ALIAS,
    LABEL_ABBR,
    LABEL_AVOID,
    LABEL_SEE
} label_t;

typedef struct ctx {
    gls_builder_t *b;
    const char *path;
    const char *text; /* after the BOM */
    uint32_t len;
    uint32_t *lines; /* byte offset where each line starts */
    size_t nlines;
    TSParser *inl;
    entry_t *entries;
    size_t nentries, entcap;
    abbr_decl_t *abbrs;
    size_t nabbrs, abbrcap;
    blk_t *blocks;
    size_t nblocks, blkcap;
    span_t *pend; /* lines that may be the terms of a definition list */
    size_t npend, pendcap;
    /* strong_entry results by line start: lists are classified up to three
     * times (scan, list check, items) and the inline grammar is slow. */
    gls_strmap_t strong_seen;
    struct strong_memo *memo;
    size_t nmemo, memocap;
    long cur;   /* the entry labelled lines attach to, or -1 */
    int in_def; /* the last block ended inside a definition list's definition */
    int errors;
} ctx_t;

/* ---- positions and reports ---- */

static size_t line_of(const ctx_t *c, uint32_t off)
{
    size_t lo = 0, hi = c->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static size_t utf8_seq(const unsigned char *s, size_t n);

/* 1-based line and column (in code points; an invalid byte counts as one,
 * as it is shown as U+FFFD) of byte 'off'. */
static void position(const ctx_t *c, uint32_t off, uint32_t *line, uint32_t *col)
{
    size_t l = line_of(c, off);
    uint32_t n = 1;
    for (uint32_t i = c->lines[l]; i < off; n++) {
        size_t k = utf8_seq((const unsigned char *)c->text + i, off - i);
        i += k ? (uint32_t)k : 1;
    }
    *line = (uint32_t)l + 1;
    *col = n;
}

static TSPoint point_at(const ctx_t *c, uint32_t off)
{
    size_t l = line_of(c, off);
    TSPoint p = {(uint32_t)l, off - c->lines[l]};
    return p;
}

static void report_at(ctx_t *c, uint32_t line, uint32_t col, gls_severity_t sev, const char *code,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void report_at(ctx_t *c, uint32_t line, uint32_t col, gls_severity_t sev, const char *code,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gls_diags_vadd(gls_builder_diags(c->b), c->path, line, col, sev, code, fmt, ap);
    va_end(ap);
    if (sev == GLS_SEV_ERROR)
        c->errors++;
}

/* ---- text helpers ---- */

/* Length of the valid UTF-8 sequence at 's' (NUL counts as invalid), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c0 = s[0];
    size_t len;
    uint32_t cp, min;
    if (c0 < 0x80)
        return c0 ? 1 : 0;
    if (c0 >= 0xC2 && c0 <= 0xDF)
        len = 2, cp = c0 & 0x1F, min = 0x80;
    else if (c0 >= 0xE0 && c0 <= 0xEF)
        len = 3, cp = c0 & 0x0F, min = 0x800;
    else if (c0 >= 0xF0 && c0 <= 0xF4)
        len = 4, cp = c0 & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Appends text[s, e) with invalid UTF-8 and NUL bytes replaced by U+FFFD
 * and carriage returns dropped. */
static void put_clean(gls_buf_t *out, const ctx_t *c, uint32_t s, uint32_t e)
{
    const unsigned char *t = (const unsigned char *)c->text;
    while (s < e) {
        size_t n = utf8_seq(t + s, e - s);
        if (n == 0) {
            gls_buf_puts(out, "\xef\xbf\xbd");
            s++;
        } else {
            if (t[s] != '\r')
                gls_buf_append(out, t + s, n);
            s += (uint32_t)n;
        }
    }
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static span_t trim(const ctx_t *c, uint32_t s, uint32_t e)
{
    while (s < e && is_space(c->text[s]))
        s++;
    while (e > s && is_space(c->text[e - 1]))
        e--;
    span_t r = {s, e};
    return r;
}

static void trim_buf(gls_buf_t *b)
{
    if (!b->data)
        return;
    size_t s = 0;
    while (s < b->len && is_space(b->data[s]))
        s++;
    while (b->len > s && is_space(b->data[b->len - 1]))
        b->len--;
    memmove(b->data, b->data + s, b->len - s);
    b->len -= s;
    b->data[b->len] = '\0';
}

static int is_type(TSNode n, const char *type)
{
    return strcmp(ts_node_type(n), type) == 0;
}

/* The first named child of 'n' of 'type', or a null node. */
static TSNode child_of_type(TSNode n, const char *type)
{
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode ch = ts_node_named_child(n, i);
        if (is_type(ch, type))
            return ch;
    }
    TSNode none = {{0, 0, 0, 0}, NULL, NULL};
    return none;
}

/* Parses text[s, e) with the inline grammar; returns a new tree or NULL. */
static TSTree *parse_inline(ctx_t *c, uint32_t s, uint32_t e)
{
    if (s >= e)
        return NULL;
    TSRange r = {point_at(c, s), point_at(c, e), s, e};
    if (!ts_parser_set_included_ranges(c->inl, &r, 1))
        return NULL;
    return ts_parser_parse_string(c->inl, NULL, c->text, c->len);
}

/* Marks the bytes of 'n' (clipped to [s, e)) as markup in 'mask'. */
static void mask_node(unsigned char *mask, uint32_t s, uint32_t e, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), z = ts_node_end_byte(n);
    if (a < s)
        a = s;
    if (z > e)
        z = e;
    for (uint32_t i = a; i < z; i++)
        mask[i - s] = 1;
}

static int is_link(TSNode n)
{
    const char *t = ts_node_type(n);
    return strcmp(t, "inline_link") == 0 || strcmp(t, "full_reference_link") == 0 ||
           strcmp(t, "collapsed_reference_link") == 0 || strcmp(t, "shortcut_link") == 0 ||
           strcmp(t, "image") == 0;
}

/* True when text[s, e) holds a character that can start inline markup. */
static int has_markup(const ctx_t *c, uint32_t s, uint32_t e)
{
    for (uint32_t i = s; i < e; i++)
        if (strchr("*_`[]<\\$~&", c->text[i]) && c->text[i])
            return 1;
    return 0;
}

/* Returns text[s, e) as plain text in a new string: emphasis and code
 * delimiters, link destinations and labels, HTML tags and the backslash of
 * escapes are dropped (found with the inline grammar), runs of white space
 * become one space, and invalid UTF-8 becomes U+FFFD. */
static char *plain(ctx_t *c, uint32_t s, uint32_t e)
{
    span_t sp = trim(c, s, e);
    s = sp.start, e = sp.end;
    gls_buf_t out;
    gls_buf_init(&out);
    gls_buf_reserve(&out, 1);
    out.data[0] = '\0';
    if (s >= e)
        return gls_buf_steal(&out, NULL);
    unsigned char *mask = gls_xcalloc(e - s, 1);
    TSTree *tree = has_markup(c, s, e) ? parse_inline(c, s, e) : NULL;
    if (tree) {
        /* An iterative walk: emphasis can nest as deep as the line is long. */
        TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
        for (;;) {
            TSNode n = ts_tree_cursor_current_node(&cur);
            const char *t = ts_node_type(n);
            int descend = 1;
            if (strcmp(t, "emphasis_delimiter") == 0 || strcmp(t, "code_span_delimiter") == 0 ||
                strcmp(t, "html_tag") == 0 || strcmp(t, "latex_span_delimiter") == 0) {
                mask_node(mask, s, e, n);
                descend = 0;
            } else if (strcmp(t, "backslash_escape") == 0) {
                uint32_t a = ts_node_start_byte(n);
                if (a >= s && a < e)
                    mask[a - s] = 1;
                descend = 0;
            } else if (is_link(n)) {
                /* Keep only the link's text. */
                uint32_t count = ts_node_child_count(n);
                for (uint32_t i = 0; i < count; i++) {
                    TSNode ch = ts_node_child(n, i);
                    if (!is_type(ch, "link_text") && !is_type(ch, "image_description"))
                        mask_node(mask, s, e, ch);
                }
            }
            if (descend && ts_tree_cursor_goto_first_child(&cur))
                continue;
            while (!ts_tree_cursor_goto_next_sibling(&cur))
                if (!ts_tree_cursor_goto_parent(&cur))
                    goto done;
        }
    done:
        ts_tree_cursor_delete(&cur);
        ts_tree_delete(tree);
    }
    int space = 0;
    for (uint32_t i = s; i < e;) {
        if (mask[i - s]) {
            i++;
            continue;
        }
        if (is_space(c->text[i])) {
            space = out.len > 0;
            i++;
            continue;
        }
        if (space)
            gls_buf_putc(&out, ' ');
        space = 0;
        uint32_t j = i + 1;
        while (j < e && !mask[j - s] && !is_space(c->text[j]))
            j++;
        put_clean(&out, c, i, j);
        i = j;
    }
    free(mask);
    return gls_buf_steal(&out, NULL);
}

/* Folds 's' and collapses white space and hyphens: the key under which two
 * spellings of a term are the same. */
static void norm_key(const char *s, gls_buf_t *key)
{
    gls_buf_t folded;
    gls_buf_init(&folded);
    gls_fold(s, strlen(s), &folded);
    gls_buf_clear(key);
    gls_buf_reserve(key, 1);
    key->data[0] = '\0';
    int space = 0;
    for (size_t i = 0; i < folded.len; i++) {
        char ch = folded.data[i];
        if (is_space(ch) || ch == '-') {
            space = key->len > 0;
            continue;
        }
        if (space)
            gls_buf_putc(key, ' ');
        space = 0;
        gls_buf_putc(key, ch);
    }
    gls_buf_close(&folded);
}

static int same_key(const char *a, const char *b)
{
    gls_buf_t ka, kb;
    gls_buf_init(&ka);
    gls_buf_init(&kb);
    norm_key(a, &ka);
    norm_key(b, &kb);
    int same = ka.len == kb.len && memcmp(ka.data, kb.data, ka.len) == 0;
    gls_buf_close(&ka);
    gls_buf_close(&kb);
    return same;
}

/* Shaped like an acronym: no white space, two or more capitals and at
 * least as many capitals as lowercase letters (NRR, tNPS, SaaS, DAU/MAU),
 * or a short word with two or more capitals (RevOps). */
static int acronym_shaped(const char *s, size_t n)
{
    unsigned upper = 0, lower = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (is_space((char)ch))
            return 0;
        if (ch >= 'A' && ch <= 'Z')
            upper++;
        else if (ch >= 'a' && ch <= 'z')
            lower++;
    }
    /* Short mixed-case abbreviations count too (RevOps, eNPS). */
    return upper >= 2 && (upper >= lower || n <= 10);
}

/* ---- entries ---- */

static entry_t *entry_at(ctx_t *c, long i)
{
    return i < 0 ? NULL : &c->entries[i];
}

static void entry_add_form(entry_t *e, gls_form_kind_t kind, const char *text, size_t n,
                           const char *use, uint32_t line, uint32_t col)
{
    if (n == 0)
        return;
    for (size_t i = 0; i < e->nforms; i++)
        if (e->forms[i].kind == kind && strlen(e->forms[i].text) == n &&
            strncmp(e->forms[i].text, text, n) == 0)
            return;
    if (e->nforms == e->formcap) {
        e->formcap = e->formcap ? e->formcap * 2 : 4;
        e->forms = gls_xrealloc(e->forms, e->formcap * sizeof *e->forms);
    }
    mform_t *f = &e->forms[e->nforms++];
    f->text = gls_xstrndup(text, n);
    f->use = use && *use ? gls_xstrdup(use) : NULL;
    f->kind = kind;
    f->line = line;
    f->column = col;
}

static void entry_add_see(entry_t *e, const char *text)
{
    if (!*text)
        return;
    if (e->nsee == e->seecap) {
        e->seecap = e->seecap ? e->seecap * 2 : 4;
        e->see = gls_xrealloc(e->see, e->seecap * sizeof *e->see);
    }
    e->see[e->nsee++] = gls_xstrdup(text);
}

/* Sets the entry's term from plain text, splitting 'Term (ABBR)' and
 * 'ABBR (Term)' into the term and its abbreviations, and dropping a
 * trailing colon and an attribute list ('{#id}'). */
static void entry_set_term(entry_t *e, const char *plain_text)
{
    size_t n = strlen(plain_text);
    const char *t = plain_text;
    if (n && t[n - 1] == '}') {
        const char *open = memchr(t, '{', n);
        if (open)
            n = (size_t)(open - t);
    }
    while (n && (is_space(t[n - 1]) || t[n - 1] == ':'))
        n--;
    free(e->term);
    e->term = NULL;
    if (n >= 2 && t[n - 1] == ')') {
        size_t depth = 0, open = n;
        for (size_t i = n; i-- > 0;) {
            if (t[i] == ')')
                depth++;
            else if (t[i] == '(' && --depth == 0) {
                open = i;
                break;
            }
        }
        size_t outer = open;
        while (outer && is_space(t[outer - 1]))
            outer--;
        if (open < n && outer > 0) {
            const char *in = t + open + 1;
            size_t inlen = n - open - 2;
            /* 'Term (NRR, NDR)': every piece must be an acronym. */
            int all = inlen > 0;
            for (size_t i = 0, start = 0; all && i <= inlen; i++) {
                if (i == inlen || in[i] == ',' || in[i] == ';') {
                    size_t a = start, z = i;
                    while (a < z && is_space(in[a]))
                        a++;
                    while (z > a && is_space(in[z - 1]))
                        z--;
                    all = z > a && acronym_shaped(in + a, z - a);
                    start = i + 1;
                }
            }
            if (all) {
                e->term = gls_xstrndup(t, outer);
                for (size_t i = 0, start = 0; i <= inlen; i++) {
                    if (i == inlen || in[i] == ',' || in[i] == ';') {
                        size_t a = start, z = i;
                        while (a < z && is_space(in[a]))
                            a++;
                        while (z > a && is_space(in[z - 1]))
                            z--;
                        entry_add_form(e, GLS_FORM_ABBREV, in + a, z - a, NULL, e->line,
                                       e->column);
                        start = i + 1;
                    }
                }
                return;
            }
            if (acronym_shaped(t, outer) && !acronym_shaped(in, inlen)) {
                size_t a = 0, z = inlen;
                while (a < z && is_space(in[a]))
                    a++;
                while (z > a && is_space(in[z - 1]))
                    z--;
                if (z > a) {
                    e->term = gls_xstrndup(in + a, z - a);
                    entry_add_form(e, GLS_FORM_ABBREV, t, outer, NULL, e->line, e->column);
                    return;
                }
            }
        }
    }
    e->term = gls_xstrndup(t, n);
}

/* Starts an entry at 'off' whose term is 'term' (plain text) and makes it
 * the one labelled lines attach to. */
static entry_t *entry_new(ctx_t *c, entry_kind_t kind, const char *term, uint32_t off)
{
    if (c->nentries == c->entcap) {
        c->entcap = c->entcap ? c->entcap * 2 : 32;
        c->entries = gls_xrealloc(c->entries, c->entcap * sizeof *c->entries);
    }
    entry_t *e = &c->entries[c->nentries];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    gls_buf_init(&e->def);
    position(c, off, &e->line, &e->column);
    entry_set_term(e, term);
    c->cur = (long)c->nentries++;
    return e;
}

static void entry_free(entry_t *e)
{
    free(e->term);
    for (size_t i = 0; i < e->nforms; i++) {
        free(e->forms[i].text);
        free(e->forms[i].use);
    }
    free(e->forms);
    for (size_t i = 0; i < e->nsee; i++)
        free(e->see[i]);
    free(e->see);
    gls_buf_close(&e->def);
}

/* Appends text[s, e) to the definition: a new line, or a new paragraph
 * when 'para' is set. */
static void def_append(ctx_t *c, entry_t *e, uint32_t s, uint32_t end, int para)
{
    span_t sp = trim(c, s, end);
    if (sp.start >= sp.end)
        return;
    if (e->def.len)
        gls_buf_puts(&e->def, para ? "\n\n" : "\n");
    put_clean(&e->def, c, sp.start, sp.end);
}

/* Appends the source of a block (a list item, a quote) after 'sep', each
 * line losing the indentation of the block's first line. */
static void def_append_raw(ctx_t *c, entry_t *e, uint32_t s, uint32_t end, const char *sep)
{
    span_t sp = trim(c, s, end);
    if (sp.start >= sp.end)
        return;
    uint32_t indent = sp.start - c->lines[line_of(c, sp.start)];
    if (e->def.len)
        gls_buf_puts(&e->def, sep);
    uint32_t p = sp.start;
    for (int first = 1; p < sp.end; first = 0) {
        const char *nl = memchr(c->text + p, '\n', sp.end - p);
        uint32_t eol = nl ? (uint32_t)(nl - c->text) : sp.end;
        if (!first) {
            gls_buf_putc(&e->def, '\n');
            for (uint32_t k = 0; k < indent && p < eol && c->text[p] == ' '; k++)
                p++;
        }
        put_clean(&e->def, c, p, eol);
        p = eol + 1;
    }
}

/* ---- lines ---- */

/* Splits a block-level 'inline' node into its lines, without the
 * continuation prefixes ('>' markers, list indentation) and surrounding
 * white space. Returns the count; '*out' is reused across calls. */
static size_t inline_lines(ctx_t *c, TSNode inl, span_t **out, size_t *cap)
{
    size_t n = 0;
    uint32_t p = ts_node_start_byte(inl), end = ts_node_end_byte(inl);
    uint32_t nchild = ts_node_named_child_count(inl), ci = 0;
    for (int first = 1; p <= end; first = 0) {
        if (!first) {
            /* Skip the continuation that starts this line, if any. */
            while (ci < nchild) {
                TSNode ch = ts_node_named_child(inl, ci);
                if (ts_node_start_byte(ch) > p)
                    break;
                ci++;
                if (is_type(ch, "block_continuation") && ts_node_end_byte(ch) > p)
                    p = ts_node_end_byte(ch);
            }
        }
        const char *nl = p < end ? memchr(c->text + p, '\n', end - p) : NULL;
        uint32_t eol = nl ? (uint32_t)(nl - c->text) : end;
        span_t sp = trim(c, p, eol);
        if (sp.start < sp.end) {
            if (n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                *out = gls_xrealloc(*out, *cap * sizeof **out);
            }
            (*out)[n++] = sp;
        }
        if (!nl)
            break;
        p = eol + 1;
    }
    return n;
}

/* The lines of a paragraph node (none when it has no inline). */
static size_t para_lines(ctx_t *c, TSNode para, span_t **out, size_t *cap)
{
    TSNode inl = child_of_type(para, "inline");
    return ts_node_is_null(inl) ? 0 : inline_lines(c, inl, out, cap);
}

/* ':   definition' (PHP Markdown Extra); returns where the text starts. */
static int is_def_line(const ctx_t *c, span_t l, uint32_t *text)
{
    if (c->text[l.start] != ':')
        return 0;
    if (l.start + 1 < l.end && c->text[l.start + 1] != ' ' && c->text[l.start + 1] != '\t')
        return 0;
    *text = trim(c, l.start + 1, l.end).start;
    return 1;
}

/* '*[ABBR]: expansion' (MkDocs, PHP Markdown Extra). */
static int is_abbr_line(const ctx_t *c, span_t l, span_t *abbr, span_t *exp)
{
    const char *t = c->text;
    if (l.end - l.start < 5 || t[l.start] != '*' || t[l.start + 1] != '[')
        return 0;
    for (uint32_t i = l.start + 2; i + 1 < l.end; i++) {
        if (t[i] == ']' && t[i + 1] == ':') {
            *abbr = trim(c, l.start + 2, i);
            *exp = trim(c, i + 2, l.end);
            return abbr->start < abbr->end;
        }
        if (t[i] == '[' || t[i] == ']')
            return 0;
    }
    return 0;
}

static const struct {
    const char *word;
    label_t label;
} labels[] = {
    {"aliases", LABEL_ALIAS},       {"alias", LABEL_ALIAS},        {"also known as", LABEL_ALIAS},
    {"also", LABEL_ALIAS},          {"aka", LABEL_ALIAS},          {"synonyms", LABEL_ALIAS},
    {"synonym", LABEL_ALIAS},       {"abbreviations", LABEL_ABBR}, {"abbreviation", LABEL_ABBR},
    {"acronyms", LABEL_ABBR},       {"acronym", LABEL_ABBR},       {"avoid", LABEL_AVOID},
    {"do not use", LABEL_AVOID},    {"don't use", LABEL_AVOID},    {"deprecated", LABEL_AVOID},
    {"see also", LABEL_SEE},        {"related", LABEL_SEE},
};

/* 'Label: value', the label optionally bold or italic ('**Avoid:**',
 * '*See also*:'); sets where the value starts. */
static label_t match_label(const ctx_t *c, span_t l, uint32_t *value)
{
    const char *t = c->text;
    uint32_t p = l.start, k = 0;
    char mark = t[p];
    if (mark == '*' || mark == '_')
        while (k < 2 && p + k < l.end && t[p + k] == mark)
            k++;
    p += k;
    for (size_t i = 0; i < GLS_ARRAY_LEN(labels); i++) {
        size_t wl = strlen(labels[i].word);
        if (p + wl >= l.end || strncasecmp(t + p, labels[i].word, wl) != 0)
            continue;
        uint32_t q = p + (uint32_t)wl;
        uint32_t m = 0;
        if (t[q] == ':') {
            q++;
            while (m < k && q < l.end && t[q] == mark)
                q++, m++;
        } else {
            while (m < k && q < l.end && t[q] == mark)
                q++, m++;
            if (m != k || q >= l.end || t[q] != ':')
                continue;
            q++;
        }
        if (q < l.end && !is_space(t[q]))
            continue;
        *value = trim(c, q, l.end).start;
        return labels[i].label;
    }
    return LABEL_NONE;
}

/* Adds the comma-separated values of a labelled line to the current entry. */
static void apply_label(ctx_t *c, label_t label, span_t line, uint32_t value)
{
    entry_t *e = entry_at(c, c->cur);
    if (!e) {
        uint32_t ln, col;
        position(c, line.start, &ln, &col);
        report_at(c, ln, col, GLS_SEV_ERROR, "glossary-md-orphan-label",
                  "a labelled line outside any glossary entry");
        return;
    }
    const char *t = c->text;
    int depth = 0, code = 0;
    uint32_t start = value;
    for (uint32_t i = value; i <= line.end; i++) {
        if (i < line.end) {
            char ch = t[i];
            if (ch == '`')
                code = !code;
            else if (!code && (ch == '(' || ch == '['))
                depth++;
            else if (!code && (ch == ')' || ch == ']') && depth > 0)
                depth--;
            if (code || depth > 0 || (ch != ',' && ch != ';'))
                continue;
        }
        span_t piece = trim(c, start, i);
        start = i + 1;
        if (piece.start >= piece.end)
            continue;
        uint32_t ln, col;
        position(c, piece.start, &ln, &col);
        if (label == LABEL_AVOID) {
            /* 'old term -> use this' (also '=>' and an arrow). */
            uint32_t arrow = piece.end, after = piece.end;
            for (uint32_t k = piece.start; k + 1 < piece.end; k++) {
                if ((t[k] == '-' || t[k] == '=') && t[k + 1] == '>') {
                    arrow = k, after = k + 2;
                    break;
                }
                if (k + 2 < piece.end && memcmp(t + k, "\xe2\x86\x92", 3) == 0) {
                    arrow = k, after = k + 3;
                    break;
                }
            }
            char *old = plain(c, piece.start, arrow);
            char *use = plain(c, after, piece.end);
            entry_add_form(e, GLS_FORM_AVOID, old, strlen(old), use, ln, col);
            free(old);
            free(use);
            continue;
        }
        char *v = plain(c, piece.start, piece.end);
        if (label == LABEL_SEE)
            entry_add_see(e, v);
        else
            entry_add_form(e, label == LABEL_ABBR ? GLS_FORM_ABBREV : GLS_FORM_ALIAS, v,
                           strlen(v), NULL, ln, col);
        free(v);
    }
}

static void add_abbr_decl(ctx_t *c, span_t line, span_t abbr, span_t exp)
{
    uint32_t ln, col;
    position(c, line.start, &ln, &col);
    char *a = plain(c, abbr.start, abbr.end);
    if (exp.start >= exp.end || !*a) {
        report_at(c, ln, col, GLS_SEV_ERROR, "glossary-md-empty-expansion",
                  "the abbreviation '%s' has an empty expansion", a);
        free(a);
        return;
    }
    if (c->nabbrs == c->abbrcap) {
        c->abbrcap = c->abbrcap ? c->abbrcap * 2 : 16;
        c->abbrs = gls_xrealloc(c->abbrs, c->abbrcap * sizeof *c->abbrs);
    }
    abbr_decl_t *d = &c->abbrs[c->nabbrs++];
    d->abbr = a;
    d->expansion = plain(c, exp.start, exp.end);
    d->line = ln;
    d->column = col;
}

/* ---- list items ---- */

typedef enum item_kind { ITEM_NONE, ITEM_LABEL, ITEM_ENTRY } item_kind_t;

/* How a list item's first line starts. */
typedef struct item_head {
    item_kind_t kind;
    int strong;      /* entries: the term is bold or italic */
    label_t label;   /* ITEM_LABEL */
    uint32_t value;  /* ITEM_LABEL: where the value starts */
    char *term;      /* ITEM_ENTRY: the term as plain text (owned) */
    uint32_t term_at;
    uint32_t def_at; /* ITEM_ENTRY: where the definition starts on the line */
} item_head_t;

/* Length of a term separator at 'p' (' - ', '--', an en or em dash, ':'),
 * or 0. 'p' is just after the term, after white space. */
static uint32_t separator(const ctx_t *c, uint32_t p, uint32_t end)
{
    const char *t = c->text;
    if (p >= end)
        return 0;
    if (t[p] == ':' && (p + 1 == end || is_space(t[p + 1])))
        return 1;
    if (t[p] == '-') {
        uint32_t n = p + 1 < end && t[p + 1] == '-' ? 2 : 1;
        return p + n == end || is_space(t[p + n]) ? n : 0;
    }
    if (p + 3 <= end && (memcmp(t + p, "\xe2\x80\x93", 3) == 0 ||
                         memcmp(t + p, "\xe2\x80\x94", 3) == 0))
        return 3;
    return 0;
}

/* 'Term - definition' without markup: the term is the text before the
 * first separator, at most eight words. */
static int weak_entry(ctx_t *c, span_t l, item_head_t *h)
{
    const char *t = c->text;
    uint32_t words = 1;
    for (uint32_t i = l.start; i < l.end; i++) {
        uint32_t sep = 0;
        if (t[i] == ':' || (unsigned char)t[i] == 0xe2)
            sep = separator(c, i, l.end);
        else if (t[i] == ' ' && i > l.start && i + 1 < l.end && t[i + 1] == '-')
            sep = separator(c, i + 1, l.end) ? 1 + separator(c, i + 1, l.end) : 0;
        if (sep) {
            span_t term = trim(c, l.start, i);
            if (term.start >= term.end || words > 8)
                return 0;
            h->term = plain(c, term.start, term.end);
            if (!*h->term) {
                free(h->term);
                h->term = NULL;
                return 0;
            }
            h->term_at = l.start;
            h->def_at = trim(c, i + sep, l.end).start;
            return 1;
        }
        if (t[i] == ' ' && i + 1 < l.end && t[i + 1] != ' ')
            words++;
    }
    return 0;
}

/* '**Term** - definition', '**Term (ABBR)**: definition', '*Term*',
 * '**Term:** definition' and '**Term**' alone (the definition follows).
 * The inline grammar is slow on long lines, so only the emphasis is
 * parsed: from the line start to the first run of the same delimiter that
 * can close it. */
static int strong_entry_parse(ctx_t *c, span_t l, item_head_t *h)
{
    const char *t = c->text;
    char mark = t[l.start];
    if (mark != '*' && mark != '_')
        return 0;
    uint32_t k = 0;
    while (l.start + k < l.end && t[l.start + k] == mark && k < 3)
        k++;
    uint32_t close = l.start + k, end = 0;
    for (; close < l.end; close++) {
        if (t[close] != mark || is_space(t[close - 1]))
            continue;
        uint32_t r = close;
        while (r < l.end && t[r] == mark)
            r++;
        if (r - close >= k) {
            end = r;
            break;
        }
        close = r;
    }
    if (!end)
        return 0;
    TSTree *tree = parse_inline(c, l.start, end);
    if (!tree)
        return 0;
    TSNode root = ts_tree_root_node(tree);
    TSNode first = ts_node_named_child_count(root) ? ts_node_named_child(root, 0) : root;
    int emphasis = (is_type(first, "strong_emphasis") || is_type(first, "emphasis")) &&
                   ts_node_start_byte(first) == l.start && ts_node_end_byte(first) == end;
    ts_tree_delete(tree);
    if (!emphasis)
        return 0;
    gls_buf_t term;
    gls_buf_init(&term);
    char *part = has_markup(c, l.start + k, close) ? plain(c, l.start, end)
                                                   : plain(c, l.start + k, close);
    gls_buf_puts(&term, part);
    free(part);
    uint32_t p = trim(c, end, l.end).start;
    if (p < l.end && t[p] == '(') {
        /* '**NRR** (Net Revenue Retention) - ...' */
        const char *paren = memchr(t + p, ')', l.end - p);
        if (paren) {
            uint32_t after = (uint32_t)(paren - t) + 1;
            part = plain(c, p, after);
            gls_buf_printf(&term, " %s", part);
            free(part);
            p = trim(c, after, l.end).start;
        }
    }
    uint32_t sep = separator(c, p, l.end);
    if (term.len && (p >= l.end || sep || term.data[term.len - 1] == ':')) {
        h->term = gls_buf_steal(&term, NULL);
        h->def_at = trim(c, p + sep, l.end).start;
        h->term_at = l.start + k;
        return 1;
    }
    gls_buf_close(&term);
    return 0;
}

typedef struct strong_memo {
    int found;
    char *term; /* owned */
    uint32_t term_at, def_at;
} strong_memo_t;

static int strong_entry(ctx_t *c, span_t l, item_head_t *h)
{
    if (c->text[l.start] != '*' && c->text[l.start] != '_')
        return 0;
    uint32_t *ix = gls_strmap_get(&c->strong_seen, (const char *)&l.start, sizeof l.start);
    if (!ix) {
        if (c->nmemo == c->memocap) {
            c->memocap = c->memocap ? c->memocap * 2 : 64;
            c->memo = gls_xrealloc(c->memo, c->memocap * sizeof *c->memo);
        }
        strong_memo_t *m = &c->memo[c->nmemo];
        item_head_t tmp;
        memset(&tmp, 0, sizeof tmp);
        m->found = strong_entry_parse(c, l, &tmp);
        m->term = tmp.term;
        m->term_at = tmp.term_at;
        m->def_at = tmp.def_at;
        gls_strmap_put(&c->strong_seen, (const char *)&l.start, sizeof l.start,
                       (uint32_t)c->nmemo);
        ix = gls_strmap_get(&c->strong_seen, (const char *)&l.start, sizeof l.start);
        c->nmemo++;
    }
    const strong_memo_t *m = &c->memo[*ix];
    if (!m->found)
        return 0;
    h->term = gls_xstrdup(m->term);
    h->term_at = m->term_at;
    h->def_at = m->def_at;
    return 1;
}

static void classify_line(ctx_t *c, span_t l, int allow_weak, item_head_t *h)
{
    memset(h, 0, sizeof *h);
    if ((h->label = match_label(c, l, &h->value)) != LABEL_NONE)
        h->kind = ITEM_LABEL;
    else if (strong_entry(c, l, h))
        h->kind = ITEM_ENTRY, h->strong = 1;
    else if (allow_weak && weak_entry(c, l, h))
        h->kind = ITEM_ENTRY;
}

/* The first line of a list item, or 0 when it does not start with a
 * paragraph. */
static int item_first_line(ctx_t *c, TSNode item, span_t **lines, size_t *cap, size_t *n,
                           TSNode *para)
{
    *para = child_of_type(item, "paragraph");
    if (ts_node_is_null(*para))
        return 0;
    *n = para_lines(c, *para, lines, cap);
    return *n > 0;
}

/* An entry list: every item an entry or a labelled line, one entry at
 * least. Sets '*strong' when any item starts with a bold term. */
static int list_is_entries(ctx_t *c, TSNode list, int *strong)
{
    span_t *lines = NULL;
    size_t cap = 0, n;
    int entries = 0, others = 0;
    uint32_t count = ts_node_named_child_count(list);
    for (uint32_t i = 0; i < count; i++) {
        TSNode item = ts_node_named_child(list, i), para;
        if (!is_type(item, "list_item"))
            continue;
        if (!item_first_line(c, item, &lines, &cap, &n, &para)) {
            others++;
            continue;
        }
        item_head_t h;
        classify_line(c, lines[0], 1, &h);
        if (h.kind == ITEM_ENTRY) {
            entries++;
            if (h.strong && strong)
                *strong = 1;
        } else if (h.kind == ITEM_NONE) {
            others++;
        }
        free(h.term);
    }
    free(lines);
    return entries > 0 && others == 0;
}

/* The lines of a paragraph inside an entry: labels and abbreviation lines
 * are taken out, the rest is definition. */
static void entry_lines(ctx_t *c, span_t *lines, size_t n, size_t from, int para)
{
    for (size_t i = from; i < n; i++) {
        uint32_t value;
        span_t abbr, exp;
        label_t label;
        if (is_abbr_line(c, lines[i], &abbr, &exp)) {
            add_abbr_decl(c, lines[i], abbr, exp);
        } else if ((label = match_label(c, lines[i], &value)) != LABEL_NONE) {
            apply_label(c, label, lines[i], value);
        } else if (c->cur >= 0) {
            def_append(c, &c->entries[c->cur], lines[i].start, lines[i].end, para);
            para = 0;
        }
    }
}

/* A list item that starts an entry: the rest of its first line, its other
 * lines and paragraphs, and its nested lists make the definition; labelled
 * lines and items anywhere in it attach to the entry. */
static void item_entry(ctx_t *c, TSNode item, span_t **lines, size_t *cap, size_t n,
                       const item_head_t *h)
{
    entry_t *e = entry_new(c, ENTRY_BULLET, h->term, h->term_at);
    def_append(c, e, h->def_at, (*lines)[0].end, 0);
    entry_lines(c, *lines, n, 1, 0);
    uint32_t count = ts_node_named_child_count(item);
    int first_para = 1;
    for (uint32_t i = 0; i < count; i++) {
        TSNode ch = ts_node_named_child(item, i);
        if (is_type(ch, "paragraph")) {
            if (first_para) {
                first_para = 0;
                continue;
            }
            size_t m = para_lines(c, ch, lines, cap);
            entry_lines(c, *lines, m, 0, 1);
        } else if (is_type(ch, "list")) {
            uint32_t items = ts_node_named_child_count(ch);
            for (uint32_t k = 0; k < items; k++) {
                TSNode sub = ts_node_named_child(ch, k), para;
                size_t m;
                if (!is_type(sub, "list_item"))
                    continue;
                uint32_t value;
                label_t label;
                if (item_first_line(c, sub, lines, cap, &m, &para) &&
                    (label = match_label(c, (*lines)[0], &value)) != LABEL_NONE)
                    apply_label(c, label, (*lines)[0], value);
                else
                    def_append_raw(c, &c->entries[c->cur], ts_node_start_byte(sub),
                                   ts_node_end_byte(sub), "\n\n");
            }
        } else if (is_type(ch, "block_quote")) {
            def_append_raw(c, &c->entries[c->cur], ts_node_start_byte(ch), ts_node_end_byte(ch),
                           "\n\n");
        }
    }
}

/* A list outside a heading entry: items may start entries or label the
 * current one; other items are ignored. */
static void free_list(ctx_t *c, TSNode list)
{
    span_t *lines = NULL;
    size_t cap = 0, n;
    int allow_weak = list_is_entries(c, list, NULL);
    uint32_t count = ts_node_named_child_count(list);
    for (uint32_t i = 0; i < count; i++) {
        TSNode item = ts_node_named_child(list, i), para;
        if (!is_type(item, "list_item") || !item_first_line(c, item, &lines, &cap, &n, &para))
            continue;
        item_head_t h;
        classify_line(c, lines[0], allow_weak, &h);
        if (h.kind == ITEM_LABEL) {
            apply_label(c, h.label, lines[0], h.value);
            /* The item's other lines may hold further labels. */
            if (c->cur >= 0)
                for (size_t k = 1; k < n; k++) {
                    uint32_t value;
                    label_t label = match_label(c, lines[k], &value);
                    if (label != LABEL_NONE)
                        apply_label(c, label, lines[k], value);
                }
        } else if (h.kind == ITEM_ENTRY) {
            item_entry(c, item, &lines, &cap, n, &h);
        }
        free(h.term);
    }
    free(lines);
}

/* ---- paragraphs outside heading entries ---- */

static void pend_push(ctx_t *c, span_t l)
{
    if (c->npend == c->pendcap) {
        c->pendcap = c->pendcap ? c->pendcap * 2 : 8;
        c->pend = gls_xrealloc(c->pend, c->pendcap * sizeof *c->pend);
    }
    c->pend[c->npend++] = l;
}

/* Starts a definition-list entry from the pending term lines: the first
 * is the term, the others its aliases. 'cs:NRR' (mkdocs-ezglossary)
 * loses its section prefix. */
static entry_t *deflist_entry(ctx_t *c)
{
    entry_t *e = NULL;
    for (size_t i = 0; i < c->npend; i++) {
        span_t l = c->pend[i];
        for (uint32_t k = l.start; k < l.end; k++) {
            char ch = c->text[k];
            if (ch == ':' && k > l.start && k + 1 < l.end && !is_space(c->text[k + 1])) {
                l.start = k + 1;
                break;
            }
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
                break;
        }
        char *term = plain(c, l.start, l.end);
        if (!e) {
            e = entry_new(c, ENTRY_DEFLIST, term, l.start);
        } else {
            uint32_t ln, col;
            position(c, l.start, &ln, &col);
            entry_add_form(e, GLS_FORM_ALIAS, term, strlen(term), NULL, ln, col);
        }
        free(term);
    }
    c->npend = 0;
    return e;
}

static void free_paragraph(ctx_t *c, TSNode para, span_t **lines, size_t *cap)
{
    size_t n = para_lines(c, para, lines, cap);
    uint32_t text;
    if (n == 0)
        return;
    if (!is_def_line(c, (*lines)[0], &text)) {
        /* Term lines wait for a definition only across one blank line. */
        c->npend = 0;
        c->in_def = 0;
    }
    int new_para = 1;
    for (size_t i = 0; i < n; i++) {
        span_t l = (*lines)[i], abbr, exp;
        uint32_t value;
        label_t label;
        if (is_abbr_line(c, l, &abbr, &exp)) {
            add_abbr_decl(c, l, abbr, exp);
        } else if ((label = match_label(c, l, &value)) != LABEL_NONE) {
            apply_label(c, label, l, value);
        } else if (is_def_line(c, l, &text)) {
            entry_t *e = NULL;
            if (c->npend)
                e = deflist_entry(c);
            else if (c->in_def && c->cur >= 0 && c->entries[c->cur].kind == ENTRY_DEFLIST)
                e = &c->entries[c->cur];
            if (!e) {
                uint32_t ln, col;
                position(c, l.start, &ln, &col);
                report_at(c, ln, col, GLS_SEV_WARNING, "glossary-md-no-term",
                          "a definition line with no term before it is ignored");
                c->in_def = 0;
                continue;
            }
            /* Several ':' lines are several definitions: paragraphs. */
            def_append(c, e, text, l.end, 1);
            c->in_def = 1;
            new_para = 0;
        } else if (c->in_def) {
            uint32_t t2;
            if (i + 1 < n && is_def_line(c, (*lines)[i + 1], &t2)) {
                c->in_def = 0;
                pend_push(c, l);
            } else {
                def_append(c, &c->entries[c->cur], l.start, l.end, new_para);
            }
        } else {
            pend_push(c, l);
        }
    }
}

/* Lines indented under a definition ('    more text') continue it; the
 * block grammar sees them as an indented code block. */
static void deflist_continuation(ctx_t *c, TSNode code)
{
    entry_t *e = entry_at(c, c->cur);
    uint32_t p = ts_node_start_byte(code), end = ts_node_end_byte(code);
    int para = 1;
    while (p < end) {
        const char *nl = memchr(c->text + p, '\n', end - p);
        uint32_t eol = nl ? (uint32_t)(nl - c->text) : end;
        span_t l = trim(c, p, eol);
        uint32_t value;
        label_t label;
        if (l.start >= l.end) {
            para = 1;
        } else if ((label = match_label(c, l, &value)) != LABEL_NONE) {
            apply_label(c, label, l, value);
        } else {
            def_append(c, e, l.start, l.end, para);
            para = 0;
        }
        p = eol + 1;
    }
}

/* Blocks that are not the definition of a heading entry. */
static void free_blocks(ctx_t *c, size_t from, size_t to)
{
    span_t *lines = NULL;
    size_t cap = 0;
    for (size_t i = from; i < to; i++) {
        blk_t *bk = &c->blocks[i];
        if (bk->kind == BLK_PARA) {
            free_paragraph(c, bk->node, &lines, &cap);
            continue;
        }
        if (bk->kind == BLK_INDENTED && c->in_def && c->cur >= 0) {
            deflist_continuation(c, bk->node);
            continue;
        }
        c->npend = 0;
        c->in_def = 0;
        if (bk->kind == BLK_LIST)
            free_list(c, bk->node);
    }
    free(lines);
}

/* ---- headings ---- */

/* The heading's text span (the inline content). */
static span_t heading_span(const ctx_t *c, TSNode h)
{
    TSNode inl = child_of_type(h, "inline");
    if (ts_node_is_null(inl)) {
        TSNode para = child_of_type(h, "paragraph");
        if (!ts_node_is_null(para))
            inl = child_of_type(para, "inline");
    }
    span_t none = {0, 0};
    if (ts_node_is_null(inl))
        return none;
    span_t sp = trim(c, ts_node_start_byte(inl), ts_node_end_byte(inl));
    /* '## Churn ##': the closing sequence is not part of the text. */
    uint32_t e = sp.end;
    while (e > sp.start && c->text[e - 1] == '#')
        e--;
    if (e < sp.end && (e == sp.start || is_space(c->text[e - 1])))
        sp = trim(c, sp.start, e);
    return sp;
}

/* What a heading's own blocks hold, to tell an entry from a group. */
typedef struct scan {
    int entries;   /* strong bullets, definition lists, or a leading entry list */
    int abbrs;     /* abbreviation lines */
    int plain;     /* lines that would be definition text */
} scan_t;

static void scan_blocks(ctx_t *c, size_t from, size_t to, scan_t *s)
{
    span_t *lines = NULL;
    size_t cap = 0;
    int first = 1;
    memset(s, 0, sizeof *s);
    for (size_t i = from; i < to; i++) {
        blk_t *bk = &c->blocks[i];
        if (bk->kind == BLK_PARA) {
            /* The terms of a definition list are not definition text. */
            uint32_t v;
            int terms = 0;
            if (i + 1 < to && c->blocks[i + 1].kind == BLK_PARA) {
                size_t n = para_lines(c, c->blocks[i + 1].node, &lines, &cap);
                terms = n > 0 && is_def_line(c, lines[0], &v);
            }
            size_t n = para_lines(c, bk->node, &lines, &cap);
            for (size_t k = 0; k < n && !terms; k++)
                terms = is_def_line(c, lines[k], &v);
            for (size_t k = 0; k < n; k++) {
                span_t abbr, exp;
                if (is_abbr_line(c, lines[k], &abbr, &exp))
                    s->abbrs++;
                else if (is_def_line(c, lines[k], &v))
                    s->entries++;
                else if (!terms && match_label(c, lines[k], &v) == LABEL_NONE)
                    s->plain++;
            }
        } else if (bk->kind == BLK_LIST) {
            /* A bold term with a separator is always an entry; plain
             * 'Term - definition' items only in a list that opens the
             * section and holds nothing else. */
            int strong = 0;
            if (list_is_entries(c, bk->node, &strong) ? first || strong : strong)
                s->entries++;
            else
                s->plain++;
        } else if (bk->kind == BLK_QUOTE) {
            s->plain++;
        } else {
            continue;
        }
        first = 0;
    }
    free(lines);
}

/* The blocks of a heading entry: paragraphs, lists and quotes are its
 * definition; labelled lines and items attach to it. */
static void heading_blocks(ctx_t *c, size_t from, size_t to)
{
    span_t *lines = NULL;
    size_t cap = 0;
    for (size_t i = from; i < to; i++) {
        blk_t *bk = &c->blocks[i];
        if (bk->kind == BLK_PARA) {
            size_t n = para_lines(c, bk->node, &lines, &cap);
            entry_lines(c, lines, n, 0, 1);
        } else if (bk->kind == BLK_LIST) {
            uint32_t count = ts_node_named_child_count(bk->node);
            int para = 1;
            for (uint32_t k = 0; k < count; k++) {
                TSNode item = ts_node_named_child(bk->node, k), p;
                size_t n;
                uint32_t value;
                label_t label;
                if (!is_type(item, "list_item"))
                    continue;
                if (item_first_line(c, item, &lines, &cap, &n, &p) &&
                    (label = match_label(c, lines[0], &value)) != LABEL_NONE) {
                    apply_label(c, label, lines[0], value);
                    continue;
                }
                /* Items of one list stay together in one paragraph. */
                def_append_raw(c, &c->entries[c->cur], ts_node_start_byte(item),
                               ts_node_end_byte(item), para ? "\n\n" : "\n");
                para = 0;
            }
        } else if (bk->kind == BLK_QUOTE) {
            def_append_raw(c, &c->entries[c->cur], ts_node_start_byte(bk->node),
                           ts_node_end_byte(bk->node), "\n\n");
        }
    }
    free(lines);
}

/* ---- document ---- */

static void push_block(ctx_t *c, TSNode n, blk_kind_t kind, int level)
{
    if (c->nblocks == c->blkcap) {
        c->blkcap = c->blkcap ? c->blkcap * 2 : 64;
        c->blocks = gls_xrealloc(c->blocks, c->blkcap * sizeof *c->blocks);
    }
    blk_t *bk = &c->blocks[c->nblocks++];
    bk->node = n;
    bk->kind = kind;
    bk->level = level;
}

/* Lists the top-level blocks in order; sections nest at most six deep. */
static void flatten(ctx_t *c, TSNode n)
{
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; i++) {
        TSNode ch = ts_node_named_child(n, i);
        const char *t = ts_node_type(ch);
        if (strcmp(t, "section") == 0) {
            flatten(c, ch);
        } else if (strcmp(t, "atx_heading") == 0) {
            TSNode marker = ts_node_named_child_count(ch) ? ts_node_named_child(ch, 0) : ch;
            const char *m = ts_node_type(marker);
            int level = strncmp(m, "atx_h", 5) == 0 && m[5] >= '1' && m[5] <= '6' ? m[5] - '0' : 1;
            push_block(c, ch, BLK_HEADING, level);
        } else if (strcmp(t, "setext_heading") == 0) {
            push_block(c, ch, BLK_HEADING,
                       ts_node_is_null(child_of_type(ch, "setext_h2_underline")) ? 1 : 2);
        } else if (strcmp(t, "paragraph") == 0) {
            push_block(c, ch, BLK_PARA, 0);
        } else if (strcmp(t, "list") == 0) {
            push_block(c, ch, BLK_LIST, 0);
        } else if (strcmp(t, "block_quote") == 0) {
            push_block(c, ch, BLK_QUOTE, 0);
        } else if (strcmp(t, "indented_code_block") == 0) {
            push_block(c, ch, BLK_INDENTED, 0);
        } else {
            /* Front matter, fenced code, HTML, tables, rules, link definitions. */
            push_block(c, ch, BLK_OTHER, 0);
        }
    }
}

/* The block scanner of tree-sitter-markdown overflows its serialization
 * buffer when about 255 blocks are open at once (upstream
 * tree-sitter-grammars/tree-sitter-markdown#243), so such files are refused
 * before parsing. A block stays open on a line only if the line's prefix
 * continues it, so a line holds open at most one block per quote marker,
 * per list marker and per two columns of indentation; this returns the first line where that bound passes
 * 'limit', or UINT32_MAX. */
static uint32_t too_deep(const ctx_t *c, uint32_t limit)
{
    const char *t = c->text;
    for (size_t l = 0; l < c->nlines; l++) {
        uint32_t p = c->lines[l], end = l + 1 < c->nlines ? c->lines[l + 1] : c->len;
        uint32_t depth = 0, columns = 0;
        while (p < end) {
            char ch = t[p];
            if (ch == ' ') {
                columns++, p++;
            } else if (ch == '\t') {
                columns += 4, p++;
            } else if (ch == '>') {
                /* The marker takes one space with it. */
                depth++, p++;
                if (p < end && t[p] == ' ')
                    p++;
            } else if ((ch == '-' || ch == '*' || ch == '+') && p + 1 < end &&
                       (t[p + 1] == ' ' || t[p + 1] == '\t')) {
                depth++, p += 2;
            } else if (ch >= '0' && ch <= '9') {
                uint32_t q = p;
                while (q < end && q - p < 10 && t[q] >= '0' && t[q] <= '9')
                    q++;
                if (q + 1 < end && (t[q] == '.' || t[q] == ')') &&
                    (t[q + 1] == ' ' || t[q + 1] == '\t'))
                    depth++, p = q + 2;
                else
                    break;
            } else {
                break;
            }
            if (depth + columns / 2 > limit)
                return (uint32_t)l;
        }
    }
    return UINT32_MAX;
}

/* Walks the blocks: each heading is a page title, a container of deeper
 * headings, a group of entries (bullets, definition lists), or an entry
 * whose definition is the blocks up to the next heading. */
static void walk(ctx_t *c)
{
    size_t first_heading = c->nblocks;
    int min_level = 7, at_min = 0;
    for (size_t i = 0; i < c->nblocks; i++) {
        if (c->blocks[i].kind != BLK_HEADING)
            continue;
        if (first_heading == c->nblocks)
            first_heading = i;
        if (c->blocks[i].level < min_level)
            min_level = c->blocks[i].level, at_min = 0;
        if (c->blocks[i].level == min_level)
            at_min++;
    }
    size_t i = 0;
    while (i < c->nblocks && c->blocks[i].kind != BLK_HEADING)
        i++;
    c->cur = -1;
    free_blocks(c, 0, i);
    while (i < c->nblocks) {
        size_t h = i++;
        while (i < c->nblocks && c->blocks[i].kind != BLK_HEADING)
            i++;
        int level = c->blocks[h].level;
        span_t text = heading_span(c, c->blocks[h].node);
        int title = h == first_heading && level == min_level && at_min == 1;
        int container = i < c->nblocks && c->blocks[i].level > level;
        /* A heading of one character is a letter of an A-Z index. */
        int letter = text.end - text.start <= 1 ||
                     utf8_seq((const unsigned char *)c->text + text.start,
                              text.end - text.start) == text.end - text.start;
        c->cur = -1;
        c->npend = 0;
        c->in_def = 0;
        if (title || container || letter) {
            free_blocks(c, h + 1, i);
            continue;
        }
        scan_t s;
        scan_blocks(c, h + 1, i, &s);
        if (s.entries || (s.abbrs && !s.plain)) {
            if (s.entries && s.plain) {
                uint32_t ln, col;
                position(c, text.start, &ln, &col);
                char *name = plain(c, text.start, text.end);
                report_at(c, ln, col, GLS_SEV_INFO, "glossary-md-group-heading",
                          "'%s' holds bullet or definition-list entries, so it is read as a "
                          "group heading and its own text is not a definition",
                          name);
                free(name);
            }
            free_blocks(c, h + 1, i);
            continue;
        }
        char *term = plain(c, text.start, text.end);
        entry_new(c, ENTRY_HEADING, term, text.start);
        free(term);
        heading_blocks(c, h + 1, i);
    }
}

/* Finds 'key' (normalized with norm_key when 'fold') in 'm'; -1 if absent. */
static long map_find(const gls_strmap_t *m, const char *key, int fold, gls_buf_t *scratch)
{
    if (fold) {
        norm_key(key, scratch);
        key = scratch->data;
    }
    uint32_t *v = gls_strmap_get(m, key, strlen(key));
    return v ? (long)*v : -1;
}

/* Adds 'key' for entry 'i' unless an earlier entry has it. */
static void map_add(gls_strmap_t *m, const char *key, int fold, size_t i, gls_buf_t *scratch)
{
    if (map_find(m, key, fold, scratch) < 0) {
        if (fold) {
            norm_key(key, scratch);
            key = scratch->data;
        }
        gls_strmap_put(m, key, strlen(key), (uint32_t)i);
    }
}

/* Merges the abbreviation lines into the entries: into the entry whose
 * term is the expansion, else the one whose term is the abbreviation (its
 * term becomes the expansion), else the one with that abbreviation (the
 * expansion becomes an alias), else a new entry. */
static void merge_abbrs(ctx_t *c)
{
    if (!c->nabbrs)
        return;
    gls_strmap_t by_key, by_term, by_abbr;
    gls_buf_t scratch;
    gls_strmap_init(&by_key);
    gls_strmap_init(&by_term);
    gls_strmap_init(&by_abbr);
    gls_buf_init(&scratch);
    for (size_t k = 0; k < c->nentries; k++) {
        entry_t *e = &c->entries[k];
        map_add(&by_key, e->term, 1, k, &scratch);
        map_add(&by_term, e->term, 0, k, &scratch);
        for (size_t f = 0; f < e->nforms; f++)
            if (e->forms[f].kind == GLS_FORM_ABBREV)
                map_add(&by_abbr, e->forms[f].text, 0, k, &scratch);
    }
    for (size_t i = 0; i < c->nabbrs; i++) {
        abbr_decl_t *d = &c->abbrs[i];
        size_t alen = strlen(d->abbr);
        long k = map_find(&by_key, d->expansion, 1, &scratch);
        if (k >= 0) {
            entry_add_form(&c->entries[k], GLS_FORM_ABBREV, d->abbr, alen, NULL, d->line,
                           d->column);
            map_add(&by_abbr, d->abbr, 0, (size_t)k, &scratch);
            continue;
        }
        k = map_find(&by_term, d->abbr, 0, &scratch);
        if (k >= 0 && strcmp(c->entries[k].term, d->abbr) == 0) {
            entry_t *e = &c->entries[k];
            free(e->term);
            e->term = gls_xstrdup(d->expansion);
            entry_add_form(e, GLS_FORM_ABBREV, d->abbr, alen, NULL, e->line, e->column);
            map_add(&by_key, e->term, 1, (size_t)k, &scratch);
            map_add(&by_abbr, d->abbr, 0, (size_t)k, &scratch);
            continue;
        }
        k = map_find(&by_abbr, d->abbr, 0, &scratch);
        if (k >= 0) {
            entry_add_form(&c->entries[k], GLS_FORM_ALIAS, d->expansion, strlen(d->expansion),
                           NULL, d->line, d->column);
            continue;
        }
        if (c->nentries == c->entcap) {
            c->entcap = c->entcap ? c->entcap * 2 : 32;
            c->entries = gls_xrealloc(c->entries, c->entcap * sizeof *c->entries);
        }
        size_t n = c->nentries++;
        entry_t *e = &c->entries[n];
        memset(e, 0, sizeof *e);
        gls_buf_init(&e->def);
        e->kind = ENTRY_ABBR;
        e->term = gls_xstrdup(d->expansion);
        e->line = d->line;
        e->column = d->column;
        entry_add_form(e, GLS_FORM_ABBREV, d->abbr, alen, NULL, d->line, d->column);
        map_add(&by_key, e->term, 1, n, &scratch);
        map_add(&by_term, e->term, 0, n, &scratch);
        map_add(&by_abbr, d->abbr, 0, n, &scratch);
    }
    gls_strmap_close(&by_key);
    gls_strmap_close(&by_term);
    gls_strmap_close(&by_abbr);
    gls_buf_close(&scratch);
}

static int entry_cmp(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->column < y->column ? -1 : x->column > y->column;
}

/* Hands every entry to the builder, in file order. */
static void emit(ctx_t *c)
{
    if (c->nentries > 1)
        qsort(c->entries, c->nentries, sizeof *c->entries, entry_cmp);
    for (size_t i = 0; i < c->nentries; i++) {
        entry_t *e = &c->entries[i];
        if (!*e->term) {
            report_at(c, e->line, e->column, GLS_SEV_WARNING, "glossary-md-no-term",
                      "an entry whose term is only markup is ignored");
            continue;
        }
        trim_buf(&e->def);
        if (!e->def.len && e->kind != ENTRY_ABBR)
            report_at(c, e->line, e->column, GLS_SEV_ERROR, "glossary-md-no-definition",
                      "the entry '%s' has no definition", e->term);
        gls_draft_form_t *forms = gls_xcalloc(e->nforms + 1, sizeof *forms);
        size_t n = 0;
        for (size_t k = 0; k < e->nforms; k++) {
            mform_t *f = &e->forms[k];
            /* 'Net Revenue Retention' listed again as an alias of itself. */
            if (f->kind != GLS_FORM_AVOID && same_key(f->text, e->term))
                continue;
            forms[n].text = f->text;
            forms[n].kind = f->kind;
            forms[n].use = f->kind == GLS_FORM_AVOID ? (f->use ? f->use : e->term) : NULL;
            forms[n].line = f->line;
            forms[n].column = f->column;
            n++;
        }
        gls_draft_t d;
        memset(&d, 0, sizeof d);
        d.term = e->term;
        d.definition = e->def.data ? e->def.data : "";
        d.line = e->line;
        d.column = e->column;
        d.forms = forms;
        d.form_count = n;
        const char **see = gls_xcalloc(e->nsee + 1, sizeof *see);
        for (size_t k = 0; k < e->nsee; k++)
            see[k] = e->see[k];
        d.see_also = see;
        d.see_also_count = e->nsee;
        gls_builder_add(c->b, &d);
        free(see);
        free(forms);
    }
}

int gls_load_markdown(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    ctx_t c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.cur = -1;
    gls_strmap_init(&c.strong_seen);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        text += 3, len -= 3;
    if (len >= UINT32_MAX) {
        report_at(&c, 0, 0, GLS_SEV_ERROR, "glossary-md-too-large",
                  "the file is too large to read as a Markdown glossary");
        return c.errors;
    }
    c.text = text;
    c.len = (uint32_t)len;

    c.nlines = 1;
    for (uint32_t i = 0; i < c.len; i++)
        c.nlines += text[i] == '\n';
    c.lines = gls_xmalloc(c.nlines * sizeof *c.lines);
    c.lines[0] = 0;
    for (uint32_t i = 0, l = 1; i < c.len; i++)
        if (text[i] == '\n')
            c.lines[l++] = i + 1;

    for (uint32_t i = 0; i < c.len;) {
        size_t n = utf8_seq((const unsigned char *)text + i, c.len - i);
        if (n == 0) {
            uint32_t ln, col;
            position(&c, i, &ln, &col);
            report_at(&c, ln, col, GLS_SEV_WARNING, "glossary-md-encoding",
                      "invalid UTF-8 (or a NUL byte); read as U+FFFD");
            break;
        }
        i += (uint32_t)n;
    }

    uint32_t deep = too_deep(&c, 200);
    if (deep != UINT32_MAX) {
        report_at(&c, deep + 1, 1, GLS_SEV_ERROR, "glossary-md-too-deep",
                  "quotes and lists nest too deeply here for the Markdown parser; the file "
                  "is not loaded");
        free(c.lines);
        gls_strmap_close(&c.strong_seen);
        return c.errors;
    }

    TSParser *block = ts_parser_new();
    c.inl = ts_parser_new();
    TSTree *tree = NULL;
    if (!ts_parser_set_language(block, tree_sitter_markdown()) ||
        !ts_parser_set_language(c.inl, tree_sitter_markdown_inline())) {
        report_at(&c, 0, 0, GLS_SEV_ERROR, "glossary-md-grammar",
                  "the Markdown grammar does not match the tree-sitter runtime");
    } else if (!(tree = ts_parser_parse_string(block, NULL, text, c.len))) {
        report_at(&c, 0, 0, GLS_SEV_ERROR, "glossary-md-parse", "the Markdown parser gave up");
    } else {
        flatten(&c, ts_tree_root_node(tree));
        walk(&c);
        merge_abbrs(&c);
        emit(&c);
        if (c.nentries == 0)
            report_at(&c, 1, 1, GLS_SEV_WARNING, "glossary-md-empty",
                      "no glossary entries found (headings, bullets, definition lists or "
                      "abbreviations)");
    }

    if (tree)
        ts_tree_delete(tree);
    ts_parser_delete(block);
    ts_parser_delete(c.inl);
    for (size_t i = 0; i < c.nentries; i++)
        entry_free(&c.entries[i]);
    free(c.entries);
    for (size_t i = 0; i < c.nabbrs; i++) {
        free(c.abbrs[i].abbr);
        free(c.abbrs[i].expansion);
    }
    free(c.abbrs);
    for (size_t i = 0; i < c.nmemo; i++)
        free(c.memo[i].term);
    free(c.memo);
    gls_strmap_close(&c.strong_seen);
    free(c.blocks);
    free(c.pend);
    free(c.lines);
    return c.errors;
}
