/* test_load_markdown.c: the Markdown glossary loader, driven by the
 * fixtures in tests/data/markdown-glossaries/ plus encoding and error cases.
 *
 * Each NAME.md there is loaded and its concepts listed, one line each:
 *
 *   term | abbr1,abbr2 | alias1,alias2 | avoid1,avoid2 | see-also | definition start
 *
 * compared with NAME.expected. A term to avoid reads 'old->use' when it
 * names a replacement other than the term. The last field is compared as a
 * prefix of the definition with white space runs as one space; an empty
 * field means the definition must be empty. NAME.diags, when present,
 * lists the loader's diagnostics as 'line:col severity code' (any order);
 * without it the file must load with no diagnostics at all. Every fixture
 * is also loaded with CRLF line ends and with a BOM, which must change
 * nothing. Adding a case adds no code. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/glossary.h"
#include "gls/loader.h"
#include "gls/util.h"

#define FIXTURES "tests/data/markdown-glossaries"

static const char *fixture_dir(void)
{
    const char *env = getenv("GLS_MARKDOWN_FIXTURES");
    return env && *env ? env : FIXTURES;
}

/* Reads a whole file; NULL when it does not exist. */
static char *slurp(const char *path, size_t *len)
{
    char *text = NULL;
    size_t n = 0;
    if (gls_read_file(path, 1 << 24, &text, &n) != 0)
        return NULL;
    if (len)
        *len = n;
    return text;
}

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                               : (*p & 0xF8) == 0xF0   ? 4
                                                       : 0;
        if (n == 0 || (n == 2 && *p < 0xC2))
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

/* The result of one load: the listing, the loader's diagnostics (sorted)
 * and its return value. */
typedef struct result {
    gls_buf_t listing;
    gls_buf_t diags;
    int errors;
    size_t error_diags;
    gls_glossary_t *g;
} result_t;

static void list_forms(gls_buf_t *out, const gls_glossary_t *g, const gls_concept_t *c,
                       gls_form_kind_t kind)
{
    int n = 0;
    gls_buf_puts(out, " |");
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (f->kind != kind)
            continue;
        gls_buf_puts(out, n++ ? "," : " ");
        gls_buf_puts(out, f->text);
        if (kind == GLS_FORM_AVOID && f->use && strcmp(f->use, c->term) != 0)
            gls_buf_printf(out, "->%s", f->use);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of 'text' as one string. */
static char *sorted_lines(const char *text)
{
    char *copy = gls_xstrdup(text ? text : "");
    char **lines = NULL;
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        size_t len = strlen(l);
        while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
            l[--len] = '\0';
        if (!len)
            continue;
        lines = gls_xrealloc(lines, (n + 1) * sizeof *lines);
        lines[n++] = l;
    }
    if (n > 1)
        qsort(lines, n, sizeof *lines, cmp_str);
    gls_buf_t out;
    gls_buf_init(&out);
    gls_buf_puts(&out, "");
    for (size_t i = 0; i < n; i++)
        gls_buf_printf(&out, "%s\n", lines[i]);
    free(lines);
    free(copy);
    return gls_buf_steal(&out, NULL);
}

static void load(result_t *r, const char *path, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    gls_buf_init(&r->listing);
    gls_buf_init(&r->diags);
    gls_buf_puts(&r->listing, "");
    gls_buf_puts(&r->diags, "");
    gls_builder_t *b = gls_builder_new(path);
    r->errors = gls_load_markdown(b, path, text, len);
    const gls_diags_t *d = gls_builder_diags(b);
    static const char *sev[] = {"?", "error", "warning", "info", "hint"};
    for (size_t i = 0; i < d->count; i++) {
        const gls_diag_t *it = &d->items[i];
        gls_buf_printf(&r->diags, "%u:%u %s %s\n", it->line, it->column,
                       sev[it->severity <= 4 ? it->severity : 0], it->code);
        if (it->severity == GLS_SEV_ERROR && strncmp(it->code, "glossary-md-", 12) == 0)
            r->error_diags++;
    }
    char *sorted = sorted_lines(r->diags.data);
    gls_buf_clear(&r->diags);
    gls_buf_puts(&r->diags, sorted);
    free(sorted);
    r->g = gls_builder_freeze(b);
    for (uint32_t i = 0; i < r->g->concept_count; i++) {
        const gls_concept_t *c = &r->g->concepts[i];
        gls_buf_puts(&r->listing, c->term);
        list_forms(&r->listing, r->g, c, GLS_FORM_ABBREV);
        list_forms(&r->listing, r->g, c, GLS_FORM_ALIAS);
        list_forms(&r->listing, r->g, c, GLS_FORM_AVOID);
        gls_buf_puts(&r->listing, " |");
        for (uint32_t k = 0; k < c->see_also_count; k++)
            gls_buf_printf(&r->listing, "%s%s", k ? "," : " ", c->see_also[k]);
        /* The definition on one line. */
        gls_buf_puts(&r->listing, " |");
        int space = 1;
        for (const char *p = c->definition; *p; p++) {
            if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
                space = 1;
                continue;
            }
            if (space)
                gls_buf_putc(&r->listing, ' ');
            space = 0;
            gls_buf_putc(&r->listing, *p);
        }
        gls_buf_putc(&r->listing, '\n');
    }
}

static void result_close(result_t *r)
{
    gls_buf_close(&r->listing);
    gls_buf_close(&r->diags);
    gls_glossary_unref(r->g);
}

/* Splits 'line' at '|' into at most 6 trimmed fields. */
static size_t fields(char *line, char **out)
{
    size_t n = 0;
    char *p = line;
    while (n < 6) {
        char *bar = n < 5 ? strchr(p, '|') : NULL;
        if (bar)
            *bar = '\0';
        while (*p == ' ')
            p++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\r'))
            p[--len] = '\0';
        out[n++] = p;
        if (!bar)
            break;
        p = bar + 1;
    }
    return n;
}

/* Splits 'text' (modified) into its non-empty lines. */
static size_t split_lines(char *text, char ***out)
{
    size_t n = 0;
    *out = NULL;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!*l || strcmp(l, "\r") == 0)
            continue;
        *out = gls_xrealloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = l;
    }
    return n;
}

/* Compares a listing with the expected one, field by field. */
static void check_listing(const char *name, const char *actual, const char *expected)
{
    char *a = gls_xstrdup(actual), *e = gls_xstrdup(expected);
    char **la, **le;
    size_t na = split_lines(a, &la), ne = split_lines(e, &le);
    int ok = na == ne;
    cr_expect_eq(na, ne, "%s: %zu concepts, want %zu", name, na, ne);
    for (size_t row = 0; row < na && row < ne; row++) {
        char *fa[6] = {0}, *fe[6] = {0};
        size_t nfa = fields(la[row], fa), nfe = fields(le[row], fe);
        cr_expect_eq(nfe, 6, "%s.expected: line %zu needs 6 fields", name, row + 1);
        if (nfa != 6 || nfe != 6) {
            ok = 0;
            continue;
        }
        for (int f = 0; f < 5; f++)
            if (strcmp(fa[f], fe[f]) != 0) {
                cr_expect_fail("%s: concept %zu field %d is '%s', want '%s'", name, row + 1, f + 1,
                               fa[f], fe[f]);
                ok = 0;
            }
        if (*fe[5] ? strncmp(fa[5], fe[5], strlen(fe[5])) != 0 : *fa[5] != '\0') {
            cr_expect_fail("%s: concept %zu definition '%s', want it to start with '%s'", name,
                           row + 1, fa[5], fe[5]);
            ok = 0;
        }
    }
    if (!ok)
        cr_log_warn("%s: the loader listed\n%s", name, actual);
    free(la);
    free(le);
    free(a);
    free(e);
}

static char *to_crlf(const char *text, size_t len, size_t *out_len)
{
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_puts(&b, "");
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            gls_buf_putc(&b, '\r');
        gls_buf_putc(&b, text[i]);
    }
    return gls_buf_steal(&b, out_len);
}

static void check_fixture(const char *dir, const char *name)
{
    char *path = gls_xasprintf("%s/%s.md", dir, name);
    char *exp_path = gls_xasprintf("%s/%s.expected", dir, name);
    char *diag_path = gls_xasprintf("%s/%s.diags", dir, name);
    size_t len = 0;
    char *text = slurp(path, &len);
    char *expected = slurp(exp_path, NULL);
    char *diags = slurp(diag_path, NULL);
    cr_assert_not_null(text, "cannot read %s", path);
    cr_expect_not_null(expected, "%s has no %s.expected", path, name);

    result_t r;
    load(&r, path, text, len);
    if (expected)
        check_listing(name, r.listing.data, expected);
    char *want = sorted_lines(diags);
    cr_expect_str_eq(r.diags.data, want, "%s: diagnostics\n%s\nwant\n%s", name, r.diags.data,
                     want);
    cr_expect_eq((size_t)r.errors, r.error_diags, "%s: returned %d errors, reported %zu", name,
                 r.errors, r.error_diags);
    for (uint32_t i = 0; i < r.g->concept_count; i++) {
        cr_expect(valid_utf8(r.g->concepts[i].definition), "%s: invalid UTF-8", name);
        cr_expect_null(strchr(r.g->concepts[i].definition, '\r'), "%s: CR in a definition",
                       name);
        cr_expect(r.g->concepts[i].line > 0 && r.g->concepts[i].column > 0,
                  "%s: '%s' has no position", name, r.g->concepts[i].term);
    }

    /* CRLF, then CRLF behind a BOM: the same concepts, the same places. */
    size_t clen;
    char *crlf = to_crlf(text, len, &clen);
    char *bom = gls_xasprintf("\xef\xbb\xbf%s", crlf);
    const char *variants[] = {crlf, bom};
    size_t lens[] = {clen, clen + 3};
    for (size_t v = 0; v < 2; v++) {
        result_t rv;
        load(&rv, path, variants[v], lens[v]);
        cr_expect_str_eq(rv.listing.data, r.listing.data, "%s (%s): listing\n%s\nwant\n%s", name,
                         v ? "BOM" : "CRLF", rv.listing.data, r.listing.data);
        cr_expect_str_eq(rv.diags.data, r.diags.data, "%s (%s): diagnostics\n%s", name,
                         v ? "BOM" : "CRLF", rv.diags.data);
        cr_expect_eq(rv.errors, r.errors);
        for (uint32_t i = 0; i < rv.g->concept_count && i < r.g->concept_count; i++) {
            cr_expect_eq(rv.g->concepts[i].line, r.g->concepts[i].line);
            cr_expect_eq(rv.g->concepts[i].column, r.g->concepts[i].column);
        }
        result_close(&rv);
    }
    result_close(&r);
    free(crlf);
    free(bom);
    free(want);
    free(text);
    free(expected);
    free(diags);
    free(path);
    free(exp_path);
    free(diag_path);
}

Test(load_markdown, fixtures)
{
    const char *dir = fixture_dir();
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s (run from the repository root)", dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len > 3 && strcmp(de->d_name + len - 3, ".md") == 0) {
            names = gls_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = gls_xstrndup(de->d_name, len - 3);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    cr_expect_geq(n, 7, "only %zu fixtures in %s", n, dir);
    for (size_t i = 0; i < n; i++) {
        check_fixture(dir, names[i]);
        free(names[i]);
    }
    free(names);
}

/* Loads a string; the caller closes the result. */
static void load_str(result_t *r, const char *text)
{
    load(r, "test.md", text, strlen(text));
}

/* The form of 'kind' with 'text' in concept 'ci', or NULL. */
static const gls_form_t *form(const gls_glossary_t *g, uint32_t ci, gls_form_kind_t kind,
                              const char *text)
{
    const gls_concept_t *c = &g->concepts[ci];
    for (uint32_t k = 0; k < c->form_count; k++) {
        const gls_form_t *f = &g->forms[c->first_form + k];
        if (f->kind == kind && strcmp(f->text, text) == 0)
            return f;
    }
    return NULL;
}

Test(load_markdown, empty_file)
{
    result_t r;
    load(&r, "empty.md", "", 0);
    cr_expect_eq(r.errors, 0);
    cr_expect_eq(r.g->concept_count, 0);
    cr_expect_str_eq(r.diags.data, "1:1 warning glossary-md-empty\n");
    result_close(&r);

    /* White space, a BOM alone, a lone title: still nothing, still no error. */
    const char *nothing[] = {"\n\n   \n", "\xef\xbb\xbf", "\r\n", "# Glossary\n", "---\n---\n"};
    for (size_t i = 0; i < GLS_ARRAY_LEN(nothing); i++) {
        load_str(&r, nothing[i]);
        cr_expect_eq(r.errors, 0, "case %zu", i);
        cr_expect_eq(r.g->concept_count, 0, "case %zu", i);
        result_close(&r);
    }
}

Test(load_markdown, bom_is_not_a_column)
{
    result_t r;
    load_str(&r, "\xef\xbb\xbf---\ntitle: x\n---\n- **Churn** - customers lost.\n");
    cr_assert_eq(r.g->concept_count, 1, "%s", r.listing.data);
    cr_expect_str_eq(r.g->concepts[0].term, "Churn");
    cr_expect_eq(r.g->concepts[0].line, 4);
    cr_expect_eq(r.g->concepts[0].column, 5);
    result_close(&r);
}

Test(load_markdown, crlf_definitions_have_no_cr)
{
    result_t r;
    load_str(&r, "# G\r\n\r\n## Churn\r\n\r\nCustomers\r\nlost.\r\n\r\nAliases: attrition\r\n");
    cr_assert_eq(r.g->concept_count, 1, "%s", r.listing.data);
    cr_expect_str_eq(r.g->concepts[0].definition, "Customers\nlost.");
    cr_expect_not_null(form(r.g, 0, GLS_FORM_ALIAS, "attrition"));
    result_close(&r);
}

Test(load_markdown, invalid_utf8)
{
    result_t r;
    static const char text[] = "# G\n\n## Ch\xffurn\n\nLost \xc3 customers\x00 here.\n\n"
                               "## Group\n\n"
                               "- **Bad\xed\xa0\x80Term** - \xf4\x90\x80\x80 over.\n";
    load(&r, "bad.md", text, sizeof text - 1);
    cr_expect_eq(r.errors, 0);
    cr_expect_str_eq(r.diags.data, "3:6 warning glossary-md-encoding\n", "%s", r.diags.data);
    cr_assert_eq(r.g->concept_count, 2, "%s", r.listing.data);
    cr_expect_str_eq(r.g->concepts[0].term, "Ch\xef\xbf\xbdurn");
    cr_expect_str_eq(r.g->concepts[0].definition,
                     "Lost \xef\xbf\xbd customers\xef\xbf\xbd here.");
    for (uint32_t i = 0; i < r.g->concept_count; i++) {
        cr_expect(valid_utf8(r.g->concepts[i].term));
        cr_expect(valid_utf8(r.g->concepts[i].definition));
    }
    result_close(&r);
}

Test(load_markdown, entry_without_definition_is_located)
{
    result_t r;
    load_str(&r, "# Glossary\n\n## Überblick\n\n## Churn\n\nCustomers lost.\n\n"
                 "## Scores\n\n- **Ärger Index**\n- **Health** - fine.\n");
    cr_expect_eq(r.errors, 2);
    cr_expect_str_eq(r.diags.data,
                     "11:5 error glossary-md-no-definition\n"
                     "3:4 error glossary-md-no-definition\n",
                     "%s", r.diags.data);
    /* The concept is still loaded. */
    cr_expect_str_eq(r.g->concepts[0].term, "Überblick");
    result_close(&r);
}

Test(load_markdown, columns_count_code_points)
{
    result_t r;
    load_str(&r, "- **Straße** - a street.\n  Avoid: straße, Überzahl -> Straße\n");
    cr_assert_eq(r.g->concept_count, 1, "%s", r.listing.data);
    const gls_form_t *f = form(r.g, 0, GLS_FORM_AVOID, "Überzahl");
    cr_assert_not_null(f, "%s", r.listing.data);
    cr_expect_eq(f->line, 2);
    cr_expect_eq(f->column, 18);
    cr_expect_str_eq(f->use, "Straße");
    f = form(r.g, 0, GLS_FORM_AVOID, "straße");
    cr_expect_null(f, "an avoided form equal to the term is refused by the builder");
    result_close(&r);
}

Test(load_markdown, labels_outside_entries)
{
    result_t r;
    load_str(&r, "Intro.\n\n**See also:** the style guide\n\n- Aliases: x\n");
    cr_expect_eq(r.errors, 2);
    cr_expect_str_eq(r.diags.data,
                     "1:1 warning glossary-md-empty\n"
                     "3:1 error glossary-md-orphan-label\n"
                     "5:3 error glossary-md-orphan-label\n",
                     "%s", r.diags.data);
    result_close(&r);
}

Test(load_markdown, empty_abbreviation)
{
    result_t r;
    load_str(&r, "*[NRR]: Net Revenue Retention\n*[GRR]:   \n");
    cr_expect_eq(r.errors, 1);
    cr_expect_str_eq(r.diags.data, "2:1 error glossary-md-empty-expansion\n", "%s",
                     r.diags.data);
    cr_assert_eq(r.g->concept_count, 1);
    cr_expect_str_eq(r.g->concepts[0].term, "Net Revenue Retention");
    cr_expect_not_null(form(r.g, 0, GLS_FORM_ABBREV, "NRR"));
    result_close(&r);
}

Test(load_markdown, positions)
{
    char *path = gls_xasprintf("%s/bullets.md", fixture_dir());
    size_t len = 0;
    char *text = slurp(path, &len);
    cr_assert_not_null(text);
    result_t r;
    load(&r, path, text, len);
    cr_assert_geq(r.g->concept_count, 7);
    /* '- **Health Score**' and '- Customer Success Manager (CSM) –'. */
    cr_expect_eq(r.g->concepts[0].line, 10);
    cr_expect_eq(r.g->concepts[0].column, 5);
    cr_expect_eq(r.g->concepts[6].line, 20);
    cr_expect_eq(r.g->concepts[6].column, 3);
    result_close(&r);
    free(text);
    free(path);
}

/* Every prefix of every fixture: a file cut anywhere loads without harm. */
Test(load_markdown, truncated_files)
{
    const char *names[] = {"mixed", "deflist", "labelled"};
    for (size_t i = 0; i < GLS_ARRAY_LEN(names); i++) {
        char *path = gls_xasprintf("%s/%s.md", fixture_dir(), names[i]);
        size_t len = 0;
        char *text = slurp(path, &len);
        cr_assert_not_null(text, "%s", path);
        for (size_t cut = 0; cut <= len; cut++) {
            char *copy = gls_xstrndup(text, cut);
            result_t r;
            load(&r, path, copy, cut);
            cr_expect_eq((size_t)r.errors, r.error_diags);
            result_close(&r);
            free(copy);
        }
        free(text);
        free(path);
    }
}

/* Markup-heavy noise and deep emphasis: no crash, valid UTF-8 out. */
Test(load_markdown, noise_and_nesting)
{
    static const char alphabet[] = "-*_:[]()>#|`~\\ \n\t\r:aA1\xc3\xa9\xe2\x80\x93\xff";
    uint32_t seed = 12345;
    char buf[4096];
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)(round * 20 % sizeof buf);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        result_t r;
        load(&r, "noise.md", buf, n);
        for (uint32_t i = 0; i < r.g->concept_count; i++) {
            cr_expect(valid_utf8(r.g->concepts[i].term), "round %d", round);
            cr_expect(valid_utf8(r.g->concepts[i].definition), "round %d", round);
        }
        result_close(&r);
    }

    /* Emphasis nested thousands deep around a bullet term. */
    gls_buf_t deep;
    gls_buf_init(&deep);
    gls_buf_puts(&deep, "- ");
    for (int i = 0; i < 5000; i++)
        gls_buf_puts(&deep, "**");
    gls_buf_puts(&deep, "Deep");
    for (int i = 0; i < 5000; i++)
        gls_buf_puts(&deep, "**");
    gls_buf_puts(&deep, " - nested.\n");
    result_t r;
    load(&r, "deep.md", deep.data, deep.len);
    cr_expect_eq((size_t)r.errors, r.error_diags);
    cr_expect_eq(r.g->concept_count, 1, "%s", r.listing.data);
    result_close(&r);
    gls_buf_close(&deep);
}

/* tree-sitter-markdown's block scanner overflows its state buffer with
 * about 255 open blocks (upstream issue #243): such files are refused with
 * a located error instead of corrupting memory; 150 levels still load. */
Test(load_markdown, deep_nesting_overflows_block_scanner)
{
    struct {
        const char *unit;
        int indent; /* each line indented two more spaces */
        int levels;
        int refused;
    } cases[] = {
        {"> ", 0, 150, 0}, {"> ", 0, 300, 1}, {"- ", 0, 150, 0}, {"- ", 0, 300, 1},
        {"- item\n", 1, 150, 0}, {"- item\n", 1, 300, 1}, {"1. x\n", 1, 300, 1},
    };
    for (size_t i = 0; i < GLS_ARRAY_LEN(cases); i++) {
        gls_buf_t b;
        gls_buf_init(&b);
        gls_buf_puts(&b, "# Deep\n\n- **Kept** - before the deep part.\n\n");
        for (int k = 0; k < cases[i].levels; k++) {
            if (cases[i].indent)
                gls_buf_printf(&b, "%*s", k * 2, "");
            gls_buf_puts(&b, cases[i].unit);
        }
        gls_buf_puts(&b, "text\n");
        result_t r;
        load(&r, "deep.md", b.data, b.len);
        if (cases[i].refused) {
            cr_expect_eq(r.errors, 1, "case %zu", i);
            cr_expect(strstr(r.diags.data, "error glossary-md-too-deep") != NULL, "case %zu: %s",
                      i, r.diags.data);
            cr_expect_eq(r.g->concept_count, 0, "case %zu", i);
        } else {
            cr_expect_eq(r.errors, 0, "case %zu: %s", i, r.diags.data);
            cr_expect_eq(r.g->concept_count, 1, "case %zu: %s", i, r.listing.data);
        }
        result_close(&r);
        gls_buf_close(&b);
    }
}
