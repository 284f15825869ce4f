/* test_prose_match.c: prose extraction and term matching, driven by the
 * annotated documents in tests/prose/ (syntax in tests/prose/README.md).
 *
 * Each file there holds one case, or several after lines "=== case: NAME".
 * Every expected match is marked [[text]] or [[text|concept-id]]; the
 * markers are stripped, the text is analysed with the built-in glossary in
 * the language its extension names, and the matches must be exactly the
 * marked ranges (and concepts, where given). "{{N*text}}" repeats 'text' N
 * times before the markers are read, for the large adversarial inputs. A
 * case whose header ends in "(literal)" has no markers (its "[[" and "]]"
 * are text) and must match nothing. Adding a case adds no code.
 *
 * Also here: the marker syntax itself, and matching with a generated
 * glossary of 100,000 concepts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/analysis.h"
#include "gls/glossary.h"
#include "gls/loader.h"
#include "gls/prose.h"
#include "gls/util.h"

#define PROSE_DIR "tests/prose"
#define MAX_FIXTURE (8u << 20)
#define MAX_EXPANDED (64u << 20)
#define MAX_REPORTED 25 /* mismatches reported per case */

/* ---- the fixture format ---- */

typedef struct expect {
    uint32_t start, end;
    char *id; /* concept id to check, or NULL */
} expect_t;

typedef struct expects {
    expect_t *items;
    size_t count, cap;
} expects_t;

typedef struct fixture_case {
    char *name;
    uint32_t line;   /* line of the case's first text line in its file (1-based) */
    int literal;     /* "(literal)": no markers, and nothing may match */
    char *known;     /* "(known: reason)": a documented engine limitation; its
                        mismatches are reported, not failed (NULL otherwise) */
    char *raw;       /* the case's text as written */
    size_t raw_len;
} fixture_case_t;

typedef struct cases {
    fixture_case_t *items;
    size_t count, cap;
} cases_t;

static void expects_close(expects_t *e)
{
    for (size_t i = 0; i < e->count; i++)
        free(e->items[i].id);
    free(e->items);
    memset(e, 0, sizeof *e);
}

static void expects_push(expects_t *e, uint32_t start, uint32_t end, char *id)
{
    if (e->count == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 16;
        e->items = gls_xrealloc(e->items, e->cap * sizeof *e->items);
    }
    e->items[e->count++] = (expect_t){start, end, id};
}

static void cases_close(cases_t *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->items[i].name);
        free(c->items[i].raw);
        free(c->items[i].known);
    }
    free(c->items);
    memset(c, 0, sizeof *c);
}

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int is_case_header(const char *line, size_t len)
{
    return len >= 10 && memcmp(line, "=== case: ", 10) == 0;
}

/* Splits a fixture file into cases. Without any header line the whole file
 * is one case named after the file; with headers, text before the first
 * one is a comment. A case's text runs from the line after its header to
 * the start of the next header line (so it ends with that line break). */
static void split_cases(const char *path, const char *text, size_t len, cases_t *out)
{
    memset(out, 0, sizeof *out);
    fixture_case_t *cur = NULL;
    size_t body = 0;
    uint32_t line = 1;
    int any_header = 0;
    for (size_t i = 0; i <= len;) {
        const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;
        size_t eol = nl ? (size_t)(nl - text) : len;
        size_t next = nl ? eol + 1 : len;
        int header = i < len && is_case_header(text + i, eol - i);
        if (header || i == len) {
            if (cur) {
                cur->raw = gls_xstrndup(text + body, i - body);
                cur->raw_len = i - body;
            }
            if (i == len)
                break;
            any_header = 1;
            if (out->count == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->items = gls_xrealloc(out->items, out->cap * sizeof *out->items);
            }
            cur = &out->items[out->count++];
            memset(cur, 0, sizeof *cur);
            size_t a = i + 10, b = eol;
            while (b > a && (text[b - 1] == '\r' || text[b - 1] == ' ' || text[b - 1] == '\t'))
                b--;
            /* "(known: reason)" at the end of the header. */
            if (b > a && text[b - 1] == ')') {
                const char *kp = memmem(text + a, b - a, "(known:", 7);
                if (kp) {
                    const char *r = kp + 7;
                    while (*r == ' ')
                        r++;
                    cur->known = gls_xstrndup(r, (size_t)(text + b - 1 - r));
                    b = (size_t)(kp - text);
                    while (b > a && text[b - 1] == ' ')
                        b--;
                }
            }
            static const char lit[] = "(literal)";
            if (b - a >= sizeof lit - 1 && memcmp(text + b - (sizeof lit - 1), lit,
                                                  sizeof lit - 1) == 0) {
                cur->literal = 1;
                b -= sizeof lit - 1;
                while (b > a && text[b - 1] == ' ')
                    b--;
            }
            cur->name = gls_xstrndup(text + a, b - a);
            cur->line = line + 1;
            body = next;
        }
        i = next;
        line++;
        if (!nl)
            i = len;
    }
    if (!any_header) {
        out->items = gls_xcalloc(1, sizeof *out->items);
        out->count = out->cap = 1;
        out->items[0].name = gls_xstrdup(basename_of(path));
        out->items[0].line = 1;
        out->items[0].raw = gls_xstrndup(text, len);
        out->items[0].raw_len = len;
    }
}

/* Expands every "{{N*text}}" (on one line) into 'text' repeated N times. */
static int expand_templates(const char *src, size_t len, gls_buf_t *out, gls_buf_t *err)
{
    gls_buf_clear(out);
    gls_buf_reserve(out, len + 1);
    size_t i = 0;
    while (i < len) {
        if (i + 1 < len && src[i] == '{' && src[i + 1] == '{') {
            size_t j = i + 2;
            unsigned long n = 0;
            while (j < len && src[j] >= '0' && src[j] <= '9' && n < 100000000ul)
                n = n * 10 + (unsigned long)(src[j++] - '0');
            const char *close = NULL;
            for (size_t k = j; k + 1 < len && src[k] != '\n'; k++)
                if (src[k] == '}' && src[k + 1] == '}') {
                    close = src + k;
                    break;
                }
            if (j == i + 2 || j >= len || src[j] != '*' || !close) {
                gls_buf_printf(err, "malformed template at byte %zu (want {{N*text}} on one line)",
                               i);
                return -1;
            }
            size_t tl = (size_t)(close - (src + j + 1));
            if (n * tl + out->len > MAX_EXPANDED) {
                gls_buf_printf(err, "template at byte %zu expands past %u bytes", i,
                               MAX_EXPANDED);
                return -1;
            }
            gls_buf_reserve(out, n * tl + 1);
            for (unsigned long r = 0; r < n; r++)
                gls_buf_append(out, src + j + 1, tl);
            i = (size_t)(close - src) + 2;
            continue;
        }
        size_t k = i;
        while (k < len && !(src[k] == '{' && k + 1 < len && src[k + 1] == '{'))
            k++;
        gls_buf_append(out, src + i, k - i);
        i = k;
    }
    if (!out->data)
        gls_buf_reserve(out, 1);
    out->data[out->len] = '\0';
    return 0;
}

static int is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Removes the markers from 'src' into 'text' and lists the marked ranges
 * (offsets in 'text'). In a run of n >= 2 '[', the last two open a marker
 * and the others are text ("[[[NRR]]](url)" is a link whose text is
 * marked); in a marker, the first two of a run of ']' close it. "|id"
 * just before the close names the concept. */
static int strip_markers(const char *src, size_t len, gls_buf_t *text, expects_t *ex,
                         gls_buf_t *err)
{
    gls_buf_clear(text);
    gls_buf_reserve(text, len + 1);
    int open = 0;
    uint32_t open_at = 0;
    size_t open_src = 0;
    char *id = NULL;
    size_t i = 0;
    while (i < len) {
        char c = src[i];
        if (c == '[') {
            size_t run = 0;
            while (i + run < len && src[i + run] == '[')
                run++;
            if (run >= 2) {
                if (open) {
                    gls_buf_printf(err, "'[[' at byte %zu inside the marker opened at byte %zu",
                                   i, open_src);
                    free(id);
                    return -1;
                }
                gls_buf_append(text, src + i, run - 2);
                open = 1;
                open_at = (uint32_t)text->len;
                open_src = i;
            } else {
                gls_buf_putc(text, '[');
            }
            i += run;
            continue;
        }
        if (c == ']' && i + 1 < len && src[i + 1] == ']') {
            size_t run = 0;
            while (i + run < len && src[i + run] == ']')
                run++;
            if (!open) {
                gls_buf_printf(err, "']]' at byte %zu outside a marker", i);
                return -1;
            }
            if (text->len == open_at) {
                gls_buf_printf(err, "empty marker at byte %zu", open_src);
                free(id);
                return -1;
            }
            expects_push(ex, open_at, (uint32_t)text->len, id);
            id = NULL;
            open = 0;
            gls_buf_append(text, src + i + 2, run - 2);
            i += run;
            continue;
        }
        if (c == '|' && open) {
            size_t k = i + 1;
            while (k < len && is_id_char(src[k]))
                k++;
            if (k > i + 1 && k + 1 < len && src[k] == ']' && src[k + 1] == ']') {
                id = gls_xstrndup(src + i + 1, k - i - 1);
                i = k;
                continue;
            }
        }
        gls_buf_putc(text, c);
        i++;
    }
    if (open) {
        gls_buf_printf(err, "marker opened at byte %zu is not closed", open_src);
        free(id);
        return -1;
    }
    if (!text->data)
        gls_buf_reserve(text, 1);
    text->data[text->len] = '\0';
    return 0;
}

/* ---- checking ---- */

static gls_glossary_t *builtin(void)
{
    gls_builder_t *b = gls_builder_new("built-in");
    cr_assert_eq(gls_load_builtin(b), 0, "the built-in glossary does not load");
    return gls_builder_freeze(b);
}

/* Appends text[a, b) quoted, with line breaks escaped and long runs cut. */
static void put_quoted(gls_buf_t *out, const char *text, uint32_t a, uint32_t b)
{
    gls_buf_putc(out, '"');
    for (uint32_t i = a; i < b; i++) {
        if (b - a > 80 && i == a + 60) {
            gls_buf_printf(out, "...(%u bytes)...", b - a - 75);
            i = b - 15;
        }
        char c = text[i];
        if (c == '\n')
            gls_buf_puts(out, "\\n");
        else if (c == '\r')
            gls_buf_puts(out, "\\r");
        else if (c == '\t')
            gls_buf_puts(out, "\\t");
        else
            gls_buf_putc(out, c);
    }
    gls_buf_putc(out, '"');
}

/* "file:line:col: case 'name': " for byte 'off' of a case's text. */
static void put_where(gls_buf_t *out, const char *path, const fixture_case_t *c,
                      const char *text, uint32_t off)
{
    uint32_t line = c->line, col = 1;
    for (uint32_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    gls_buf_printf(out, "%s:%u:%u: case '%s': ", path, line, col, c->name);
}

/* Counts a mismatch; true while it is still to be reported. */
static int note(size_t *bad)
{
    return ++*bad <= MAX_REPORTED;
}

/* Analyses one case and appends a line per mismatch to 'report'; returns
 * the number of mismatches. */
static size_t check_case(gls_glossary_t *g, const char *path, const fixture_case_t *c,
                         gls_buf_t *report)
{
    gls_buf_t expanded, text, err;
    gls_buf_init(&expanded);
    gls_buf_init(&text);
    gls_buf_init(&err);
    expects_t ex = {0};
    size_t bad = 0;
    if (expand_templates(c->raw, c->raw_len, c->literal ? &text : &expanded, &err) < 0 ||
        (!c->literal && strip_markers(expanded.data, expanded.len, &text, &ex, &err) < 0)) {
        gls_buf_printf(report, "%s:%u: case '%s': bad fixture: %s\n", path, c->line, c->name,
                       err.data);
        bad = 1;
        goto done;
    }
    gls_analysis_t a;
    gls_analysis_init(&a);
    gls_analysis_run(&a, g, text.data, (uint32_t)text.len, gls_language_of(NULL, path));
    const gls_matches_t *m = &a.matches;
    /* The analysis promises matches in document order, never overlapping. */
    for (size_t k = 1; k < m->count; k++) {
        if (m->items[k].start < m->items[k - 1].end) {
            if (note(&bad)) {
                put_where(report, path, c, text.data, m->items[k].start);
                gls_buf_puts(report, "match ");
                put_quoted(report, text.data, m->items[k].start, m->items[k].end);
                gls_buf_puts(report, " starts before the end of the match before it ");
                put_quoted(report, text.data, m->items[k - 1].start, m->items[k - 1].end);
                gls_buf_putc(report, '\n');
            }
        }
    }
    size_t i = 0, j = 0;
    while (i < ex.count || j < m->count) {
        const expect_t *e = i < ex.count ? &ex.items[i] : NULL;
        const gls_match_t *got = j < m->count ? &m->items[j] : NULL;
        if (e && got && e->start == got->start && e->end == got->end) {
            const char *id = g->concepts[got->concept].id;
            if (e->id && strcmp(e->id, id) != 0) {
                if (note(&bad)) {
                    put_where(report, path, c, text.data, e->start);
                    put_quoted(report, text.data, e->start, e->end);
                    gls_buf_printf(report, " matched concept '%s', want '%s'\n", id, e->id);
                }
            }
            i++;
            j++;
        } else if (e && (!got || e->start < got->start ||
                         (e->start == got->start && e->end < got->end))) {
            if (note(&bad)) {
                put_where(report, path, c, text.data, e->start);
                gls_buf_puts(report, "missing match ");
                put_quoted(report, text.data, e->start, e->end);
                gls_buf_putc(report, '\n');
            }
            i++;
        } else {
            if (note(&bad)) {
                put_where(report, path, c, text.data, got->start);
                gls_buf_puts(report, "unexpected match ");
                put_quoted(report, text.data, got->start, got->end);
                gls_buf_printf(report, " (%s, form '%s')\n", g->concepts[got->concept].id,
                               g->forms[got->form].text);
            }
            j++;
        }
    }
    if (bad > MAX_REPORTED)
        gls_buf_printf(report, "%s:%u: case '%s': ... and %zu more mismatches\n", path, c->line,
                       c->name, bad - MAX_REPORTED);
    gls_analysis_close(&a);
done:
    expects_close(&ex);
    gls_buf_close(&expanded);
    gls_buf_close(&text);
    gls_buf_close(&err);
    return bad;
}

/* ---- the corpus ---- */

typedef struct fixture_file {
    char path[256];
} fixture_file_t;

static int is_fixture_name(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.' || strcmp(name, "README.md") == 0 || n + sizeof PROSE_DIR + 1 >= 256)
        return 0;
    return (n > 3 && strcmp(name + n - 3, ".md") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".txt") == 0);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture file names in PROSE_DIR, sorted; the caller frees each and
 * the array. */
static char **fixture_names(size_t *count)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *d = opendir(PROSE_DIR);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (!is_fixture_name(de->d_name))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                names = gls_xrealloc(names, cap * sizeof *names);
            }
            names[n++] = gls_xstrdup(de->d_name);
        }
        closedir(d);
    }
    if (n > 1)
        qsort(names, n, sizeof *names, name_cmp);
    *count = n;
    return names;
}

static void free_fixture_params(struct criterion_test_params *crp)
{
    cr_free(crp->params);
}

ParameterizedTestParameters(prose_match, fixture)
{
    size_t n;
    char **names = fixture_names(&n);
    /* With no fixtures at all there is one empty entry, which fails. */
    fixture_file_t *files = cr_calloc(n ? n : 1, sizeof *files);
    for (size_t i = 0; i < n; i++) {
        snprintf(files[i].path, sizeof files[i].path, "%s/%s", PROSE_DIR, names[i]);
        free(names[i]);
    }
    free(names);
    return cr_make_param_array(fixture_file_t, files, n ? n : 1, free_fixture_params);
}

/* Every case of one fixture file. */
ParameterizedTest(fixture_file_t *f, prose_match, fixture, .timeout = 600)
{
    cr_assert(f->path[0], "no fixtures in %s/ (run the tests from the repository root)",
              PROSE_DIR);
    char *raw = NULL;
    size_t len = 0;
    int rc = gls_read_file(f->path, MAX_FIXTURE, &raw, &len);
    cr_assert_eq(rc, 0, "%s: cannot read (%d)", f->path, rc);
    gls_glossary_t *g = builtin();
    cases_t cases;
    split_cases(f->path, raw, len, &cases);
    gls_buf_t report;
    gls_buf_init(&report);
    size_t bad = 0, failed_cases = 0;
    gls_buf_t known;
    gls_buf_init(&known);
    for (size_t i = 0; i < cases.count; i++) {
        fixture_case_t *c = &cases.items[i];
        size_t n = check_case(g, f->path, c, c->known ? &known : &report);
        if (c->known) {
            /* Reported honestly either way; a limitation that went away is
             * worth knowing too. */
            if (n)
                cr_log_info("%s:%u: case '%s': known limitation (%s), %zu mismatch%s", f->path,
                            c->line, c->name, c->known, n, n == 1 ? "" : "es");
            else
                cr_log_info("%s:%u: case '%s' is marked known (%s) but now passes: remove the "
                            "mark",
                            f->path, c->line, c->name, c->known);
            continue;
        }
        bad += n;
        failed_cases += n > 0;
    }
    gls_buf_close(&known);
    size_t total = cases.count;
    if (report.len)
        cr_log_error("\n%s", report.data);
    gls_buf_close(&report);
    cases_close(&cases);
    gls_glossary_unref(g);
    free(raw);
    cr_expect_eq(bad, 0, "%s: %zu of %zu cases fail (%zu mismatches)", f->path, failed_cases,
                 total, bad);
}

/* The corpus is all there and well formed: at least 60 cases, every one
 * with a name and no two alike in a file. */
Test(prose_match, corpus)
{
    size_t n;
    char **names = fixture_names(&n);
    size_t total = 0, md = 0, txt = 0, problems = 0;
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", PROSE_DIR, names[i]);
        char *raw = NULL;
        size_t len = 0;
        if (gls_read_file(path, MAX_FIXTURE, &raw, &len) != 0) {
            cr_log_error("%s: cannot read", path);
            problems++;
            free(names[i]);
            continue;
        }
        cases_t cases;
        split_cases(path, raw, len, &cases);
        for (size_t k = 0; k < cases.count; k++) {
            if (!cases.items[k].name[0]) {
                cr_log_error("%s:%u: a case without a name", path, cases.items[k].line - 1);
                problems++;
            }
            for (size_t l = 0; l < k; l++)
                if (strcmp(cases.items[k].name, cases.items[l].name) == 0) {
                    cr_log_error("%s:%u: case '%s' is named twice", path,
                                 cases.items[k].line - 1, cases.items[k].name);
                    problems++;
                }
        }
        total += cases.count;
        if (gls_language_of(NULL, path) == GLS_LANGUAGE_MARKDOWN)
            md += cases.count;
        else
            txt += cases.count;
        cases_close(&cases);
        free(raw);
        free(names[i]);
    }
    free(names);
    cr_expect_eq(problems, 0);
    cr_expect_geq(total, 60, "only %zu cases in %s/", total, PROSE_DIR);
    cr_expect_gt(md, 0, "no Markdown cases");
    cr_expect_gt(txt, 0, "no plain-text cases");
}

/* ---- the fixture syntax itself ---- */

typedef struct syntax_case {
    const char *src, *text;
    size_t count;
    uint32_t starts[3], ends[3];
    const char *ids[3];
} syntax_case_t;

Test(prose_match, marker_syntax)
{
    static const syntax_case_t ok[] = {
        {"plain", "plain", 0, {0}, {0}, {0}},
        {"[[NRR]] and [[QBR|quarterly-business-review]]", "NRR and QBR", 2, {0, 8}, {3, 11},
         {NULL, "quarterly-business-review"}},
        {"[[[NRR]]](https://x.example)", "[NRR](https://x.example)", 1, {1}, {4}, {NULL}},
        {"![[[NRR]] chart](c.png)", "![NRR chart](c.png)", 1, {2}, {5}, {NULL}},
        {"[a] [[x|y]] z", "[a] x z", 1, {4}, {5}, {"y"}},
        {"| [[DAU | MAU]] |", "| DAU | MAU |", 1, {2}, {11}, {NULL}},
        {"[[Net Revenue\n> Retention]]", "Net Revenue\n> Retention", 1, {0}, {23}, {NULL}},
        {"{{3*[[QBR]] }}", "QBR QBR QBR ", 3, {0, 4, 8}, {3, 7, 11}, {NULL}},
        {"a{{2*>}}b{{0*x}}", "a>>b", 0, {0}, {0}, {0}},
    };
    for (size_t t = 0; t < GLS_ARRAY_LEN(ok); t++) {
        gls_buf_t exp, text, err;
        gls_buf_init(&exp);
        gls_buf_init(&text);
        gls_buf_init(&err);
        expects_t ex = {0};
        const char *src = ok[t].src;
        cr_assert_eq(expand_templates(src, strlen(src), &exp, &err), 0, "%s", src);
        cr_assert_eq(strip_markers(exp.data, exp.len, &text, &ex, &err), 0, "%s: %s", src,
                     err.data);
        cr_expect_str_eq(text.data, ok[t].text, "%s", src);
        cr_assert_eq(ex.count, ok[t].count, "%s: %zu markers", src, ex.count);
        for (size_t k = 0; k < ex.count; k++) {
            cr_expect_eq(ex.items[k].start, ok[t].starts[k], "%s: marker %zu", src, k);
            cr_expect_eq(ex.items[k].end, ok[t].ends[k], "%s: marker %zu", src, k);
            if (ok[t].ids[k])
                cr_expect_str_eq(ex.items[k].id, ok[t].ids[k], "%s", src);
            else
                cr_expect_null(ex.items[k].id, "%s", src);
        }
        expects_close(&ex);
        gls_buf_close(&exp);
        gls_buf_close(&text);
        gls_buf_close(&err);
    }
    static const char *const bad[] = {"[[open", "close]]", "[[]]", "[[a [[b]] c]]", "{{x*y}}",
                                      "{{2*a\n}}", "{{2a}}"};
    for (size_t t = 0; t < GLS_ARRAY_LEN(bad); t++) {
        gls_buf_t exp, text, err;
        gls_buf_init(&exp);
        gls_buf_init(&text);
        gls_buf_init(&err);
        expects_t ex = {0};
        int rc = expand_templates(bad[t], strlen(bad[t]), &exp, &err);
        if (rc == 0)
            rc = strip_markers(exp.data, exp.len, &text, &ex, &err);
        cr_expect_lt(rc, 0, "'%s' is accepted", bad[t]);
        expects_close(&ex);
        gls_buf_close(&exp);
        gls_buf_close(&text);
        gls_buf_close(&err);
    }

    /* Case headers, names, "(literal)", CRLF and the comment before the
     * first header. */
    static const char file[] = "comment\n=== case: one\r\nA\r\n=== case: two (literal)\n[[\n"
                               "=== case: three\nlast";
    cases_t cs;
    split_cases("x.md", file, sizeof file - 1, &cs);
    cr_assert_eq(cs.count, 3);
    cr_expect_str_eq(cs.items[0].name, "one");
    cr_expect_eq(cs.items[0].line, 3);
    cr_expect_str_eq(cs.items[0].raw, "A\r\n");
    cr_expect_eq(cs.items[0].literal, 0);
    cr_expect_str_eq(cs.items[1].name, "two");
    cr_expect_eq(cs.items[1].literal, 1);
    cr_expect_str_eq(cs.items[1].raw, "[[\n");
    cr_expect_str_eq(cs.items[2].name, "three");
    cr_expect_eq(cs.items[2].line, 7);
    cr_expect_str_eq(cs.items[2].raw, "last");
    cases_close(&cs);
    split_cases("dir/whole.txt", "no headers\n", 11, &cs);
    cr_assert_eq(cs.count, 1);
    cr_expect_str_eq(cs.items[0].name, "whole.txt");
    cr_expect_str_eq(cs.items[0].raw, "no headers\n");
    cases_close(&cs);
}

/* ---- a glossary of 100,000 concepts ---- */

#define BIG_CONCEPTS 100000u

/* A made-up word for 'n': consonant-vowel syllables, unique per 'n' within
 * a word position, and never an English word or a glossary term. */
static void made_up_word(gls_buf_t *out, unsigned long n, const char *lead, int capital)
{
    static const char cons[] = "bdfgklmnprstvz";
    static const char vow[] = "aeiou";
    size_t at = out->len;
    gls_buf_puts(out, lead);
    do {
        gls_buf_putc(out, cons[n % 14]);
        n /= 14;
        gls_buf_putc(out, vow[n % 5]);
        n /= 5;
    } while (n);
    gls_buf_putc(out, 'x');
    if (capital && out->data[at] >= 'a' && out->data[at] <= 'z')
        out->data[at] = (char)(out->data[at] - 32);
}

/* The term of synthetic concept 'i': three made-up words; the first is
 * shared by many concepts (so the trie has wide nodes), the last two are
 * unique to 'i'. */
static void big_term(gls_buf_t *out, unsigned long i)
{
    made_up_word(out, i % 997, "qu", 1);
    gls_buf_putc(out, ' ');
    made_up_word(out, i, "zo", 1);
    gls_buf_putc(out, ' ');
    made_up_word(out, i * 7919ul % 1000003ul, "vy", 1);
}

Test(prose_match, hundred_thousand_terms, .timeout = 900)
{
    gls_buf_t json, term;
    gls_buf_init(&json);
    gls_buf_init(&term);
    gls_buf_puts(&json, "{\"name\": \"synthetic\", \"concepts\": [\n");
    for (unsigned long i = 0; i < BIG_CONCEPTS; i++) {
        gls_buf_clear(&term);
        big_term(&term, i);
        gls_buf_printf(&json, "{\"id\": \"syn-%lu\", \"term\": \"%s\"},\n", i, term.data);
    }
    gls_buf_puts(&json, "{\"id\": \"net-revenue-retention\", \"term\": \"Net Revenue Retention\", "
                        "\"abbreviations\": [\"NRR\"]}\n]}\n");
    gls_builder_t *b = gls_builder_new("synthetic.json");
    int errors = gls_load_json(b, "synthetic.json", json.data, json.len);
    gls_buf_close(&json);
    gls_glossary_t *g = gls_builder_freeze(b);
    cr_assert_eq(errors, 0);
    cr_assert_eq(g->concept_count, BIG_CONCEPTS + 1);
    cr_assert_eq(gls_diags_count(&g->diags, GLS_SEV_ERROR), 0, "the synthetic terms conflict");

    /* A document: the real term and its abbreviation, some synthetic terms
     * (wrapped over lines and in a list), near misses that mix the words of
     * two terms, and a term in a code span. */
    gls_buf_t doc;
    gls_buf_init(&doc);
    expects_t ex = {0};
    uint32_t a;
#define PUT(s) gls_buf_puts(&doc, s)
#define MARK(s, id)                                                                          \
    do {                                                                                     \
        a = (uint32_t)doc.len;                                                               \
        gls_buf_puts(&doc, s);                                                               \
        expects_push(&ex, a, (uint32_t)doc.len, gls_xstrdup(id));                            \
    } while (0)
    PUT("# Synthetic\n\nThe ");
    MARK("Net Revenue Retention", "net-revenue-retention");
    PUT(" report, with ");
    MARK("NRR", "net-revenue-retention");
    PUT(" at the end of the line, and `NRR` in code.\n\n");
    static const unsigned long picks[] = {0, 1, 996, 997, 4242, 50000, 99998, 99999};
    char id[32];
    for (size_t k = 0; k < GLS_ARRAY_LEN(picks); k++) {
        gls_buf_clear(&term);
        big_term(&term, picks[k]);
        snprintf(id, sizeof id, "syn-%lu", picks[k]);
        PUT(k % 2 ? "- Then " : "Also ");
        if (k == 2) {
            /* Wrapped over two lines. */
            char *sp = strchr(term.data, ' ');
            a = (uint32_t)doc.len;
            gls_buf_append(&doc, term.data, (size_t)(sp - term.data));
            PUT("\n");
            PUT(sp + 1);
            expects_push(&ex, a, (uint32_t)doc.len, gls_xstrdup(id));
        } else {
            MARK(term.data, id);
        }
        PUT(k % 2 ? " here.\n" : " there.\n\n");
    }
    /* Near misses: the first two words of term 5 with the last of term 6. */
    gls_buf_t miss;
    gls_buf_init(&miss);
    big_term(&miss, 5);
    gls_buf_clear(&term);
    big_term(&term, 6);
    *strrchr(miss.data, ' ') = '\0';
    PUT("\n");
    PUT(miss.data);
    PUT(strrchr(term.data, ' '));
    PUT(" is no term, nor is ");
    PUT(miss.data);
    PUT(".\n");
    gls_buf_close(&miss);

    gls_analysis_t an;
    gls_analysis_init(&an);
    gls_analysis_run(&an, g, doc.data, (uint32_t)doc.len, GLS_LANGUAGE_MARKDOWN);
    cr_expect_eq(an.matches.count, ex.count, "%zu matches, want %zu in:\n%s", an.matches.count,
                 ex.count, doc.data);
    for (size_t k = 0; k < an.matches.count && k < ex.count; k++) {
        const gls_match_t *m = &an.matches.items[k];
        cr_expect(m->start == ex.items[k].start && m->end == ex.items[k].end,
                  "match %zu at [%u, %u), want [%u, %u)", k, m->start, m->end, ex.items[k].start,
                  ex.items[k].end);
        cr_expect_str_eq(g->concepts[m->concept].id, ex.items[k].id, "match %zu", k);
    }

    /* And a long document of nothing but synthetic terms, one per line
     * in a list: every one is found. */
    gls_buf_clear(&doc);
    size_t want = 0;
    for (unsigned long i = 0; i < BIG_CONCEPTS; i += 37) {
        gls_buf_clear(&term);
        big_term(&term, i);
        gls_buf_printf(&doc, "- %s.\n", term.data);
        want++;
    }
    gls_analysis_run(&an, g, doc.data, (uint32_t)doc.len, GLS_LANGUAGE_MARKDOWN);
    cr_expect_eq(an.matches.count, want, "%zu matches in the list of %zu terms",
                 an.matches.count, want);
#undef PUT
#undef MARK
    gls_analysis_close(&an);
    expects_close(&ex);
    gls_buf_close(&doc);
    gls_buf_close(&term);
    gls_glossary_unref(g);
}

/* Found by fuzz_loaders: 164 bytes that made tree-sitter-markdown's GLR
 * parser grow past 24 GB in two minutes. The memory budget (prose.c)
 * stops that parse, the rest of the document is still read, and no real
 * document comes near the budget. */
Test(prose_budget, runaway_parse_is_stopped_and_real_documents_are_not)
{
    static const unsigned char runaway[] = {
        0x23, 0x20, 0xf7, 0x6f, 0x72, 0x64, 0x3c, 0x3c, 0x3c, 0x6f, 0x72, 0x64, 0x3c, 0x3c, 0x3c,
        0x3c, 0x3c, 0x3c, 0x89, 0xf5, 0xa5, 0xaf, 0xab, 0xff, 0xe2, 0xa7, 0x0a, 0x21, 0x6f, 0x3a,
        0x2f, 0x2f, 0x73, 0x0a, 0x5a, 0x50, 0x54, 0x58, 0x0a, 0x21, 0x6f, 0x6e, 0x62, 0x6f, 0x61,
        0x72, 0x64, 0x9a, 0x9a, 0x0a, 0x2b, 0xe2, 0x80, 0xa6, 0x3c, 0x3c, 0x3c, 0x73, 0x0a, 0x5a,
        0x50, 0x54, 0x58, 0x0a, 0x3e, 0x00, 0x7b, 0x22, 0x97, 0x6f, 0x50, 0x54, 0x58, 0x0a, 0x3e,
        0x00, 0x7b, 0x22, 0x97, 0x6f, 0x6e, 0x63, 0x65, 0x70, 0x74, 0x73, 0x22, 0x3a, 0x20, 0x5b,
        0x5d, 0x2c, 0x23, 0x20, 0x22, 0x70, 0x61, 0x74, 0x74, 0x65, 0x6e, 0x63, 0x65, 0x70, 0x74,
        0x73, 0x22, 0x3a, 0x20, 0x5b, 0x5d, 0x2c, 0x23, 0x20, 0x22, 0x70, 0x61, 0x74, 0x74, 0x65,
        0x72, 0x6e, 0x73, 0x3a, 0x2f, 0x2f, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
        0x3e, 0x3e, 0x5f, 0x5f, 0x5f, 0xf5, 0xa5, 0xaf, 0x34, 0x00, 0x00, 0x00, 0x5f, 0x5f, 0x5f,
        0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5b, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f};
    gls_prose_parser_t *pp = gls_prose_parser_new();
    gls_prose_t p;
    gls_prose_init(&p);
    gls_prose_parse(pp, &p, (const char *)runaway, sizeof runaway, GLS_LANGUAGE_MARKDOWN);
    const gls_prose_stats_t *st = gls_prose_parser_stats(pp);
    cr_assert_geq(st->parses_stopped, 1);
    /* The heading before the runaway paragraph is still prose. */
    cr_assert_geq(p.block_count, 1);

    /* A megabyte of real CS Markdown: every precision document, repeated. */
    gls_buf_t doc;
    gls_buf_init(&doc);
    DIR *dir = opendir("tests/precision");
    cr_assert(dir);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".md") != 0)
            continue;
        char path[512], *text;
        size_t len;
        snprintf(path, sizeof path, "tests/precision/%s", e->d_name);
        cr_assert_eq(gls_read_file(path, MAX_FIXTURE, &text, &len), 0);
        gls_buf_append(&doc, text, len);
        gls_buf_puts(&doc, "\n\n");
        free(text);
    }
    closedir(dir);
    /* A copy to repeat from: appending the buffer to itself would read
     * freed memory once it grows. */
    size_t one = doc.len;
    char *unit = gls_xstrndup(doc.data, one);
    while (doc.len < (1u << 20))
        gls_buf_append(&doc, unit, one < (1u << 20) - doc.len ? one : (1u << 20) - doc.len);
    free(unit);
    gls_prose_parser_t *whole = gls_prose_parser_new();
    gls_prose_parser_set_chunking(whole, 0); /* one parse of the whole megabyte */
    gls_prose_parse(whole, &p, doc.data, (uint32_t)doc.len, GLS_LANGUAGE_MARKDOWN);
    const gls_prose_stats_t *ws = gls_prose_parser_stats(whole);
    cr_assert_eq(ws->parses_stopped, 0);
    /* The budget allows 1024 bytes per byte: real text asks for far less. */
    cr_log_info("1 MB in one parse asked for %zu bytes at most (%.1f per byte)",
                ws->most_asked_per_parse, (double)ws->most_asked_per_parse / (double)doc.len);
    cr_assert_lt(ws->most_asked_per_parse, 200 * doc.len);
    gls_prose_parser_free(whole);
    gls_buf_close(&doc);
    gls_prose_close(&p);
    gls_prose_parser_free(pp);
}
