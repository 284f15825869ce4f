/* load_prh.c: prh rule files (YAML). Each rule names the 'expected'
 * spelling and the 'pattern' or 'patterns' that find wrong ones: a string
 * written /.../flags is a regular expression (flag i honoured), any other
 * string is literal text; with no pattern, the expected text itself is
 * found with each ASCII letter or digit in either case or full width (as
 * prh spreads it). 'options: {wordBoundary: true}' wraps each in \b.
 * A match already written as expected is not reported; 'regexpMustEmpty:
 * $N' reports a match only when group N is empty; the replacement is the
 * expected text with $1..$9 from the match. Each rule's 'specs' ({from,
 * to}) are run at load, as prh does: a rule whose spec fails is a located
 * error and is not loaded. 'imports' (paths relative to the file, confined
 * to its folder; 'ignoreRules' by expected or pattern) are read too and
 * watched for live reload. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/regex.h"
#include "gls/util.h"
#include "gls/yaml_tree.h"

#define MAX_IMPORT_DEPTH 8
#define MAX_PRH_FILE (16u << 20)

typedef struct prh_ctx {
    gls_builder_t *b;
    const char *path;
    int errors;
} prh_ctx_t;

static void report(prh_ctx_t *c, const gls_yaml_node_t *at, gls_severity_t sev, const char *code,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(prh_ctx_t *c, const gls_yaml_node_t *at, gls_severity_t sev, const char *code,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gls_diags_vadd(gls_builder_diags(c->b), c->path, at ? at->line : 1, at ? at->column : 1, sev,
                   code, fmt, ap);
    va_end(ap);
    if (sev == GLS_SEV_ERROR)
        c->errors++;
}

/* One pattern string as PCRE2 source appended to 'out'. */
static int append_pattern(prh_ctx_t *c, const gls_yaml_node_t *n, int word_boundary,
                          gls_buf_t *out)
{
    const char *s = gls_yaml_str(n);
    if (!s || !*s) {
        report(c, n, GLS_SEV_ERROR, "glossary-type", "a prh pattern must be a non-empty string");
        return -1;
    }
    size_t len = n->length;
    const char *last = len > 1 && s[0] == '/' ? strrchr(s + 1, '/') : NULL;
    int regex = last && strspn(last + 1, "gimyus") == strlen(last + 1);
    gls_buf_puts(out, word_boundary ? "\\b(?:" : "(?:");
    if (regex) {
        if (strchr(last + 1, 'i'))
            gls_buf_puts(out, "(?i)");
        gls_buf_append(out, s + 1, (size_t)(last - s - 1));
    } else {
        /* Literal text: every character as itself. */
        for (size_t i = 0; i < len; i++) {
            if (strchr("\\^$.|?*+()[]{}/-", s[i]))
                gls_buf_putc(out, '\\');
            gls_buf_putc(out, s[i]);
        }
    }
    gls_buf_puts(out, word_boundary ? ")\\b" : ")");
    return 0;
}

/* prh's pattern for a rule without one: the expected text with each ASCII
 * letter or digit also matching its other case and its full-width form;
 * other characters are left as they are (prh does not escape them). */
static void spread_expected(const char *e, int word_boundary, gls_buf_t *out)
{
    if (word_boundary)
        gls_buf_puts(out, "\\b");
    for (const char *p = e; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        int upper = ch >= 'A' && ch <= 'Z', lower = ch >= 'a' && ch <= 'z';
        int digit = ch >= '0' && ch <= '9';
        if (!upper && !lower && !digit) {
            gls_buf_putc(out, *p);
            continue;
        }
        char u = upper ? (char)ch : lower ? (char)(ch - 32) : (char)ch;
        char l = lower ? (char)ch : upper ? (char)(ch + 32) : (char)ch;
        /* Full width: U+FF21 'Ａ', U+FF41 'ａ', U+FF10 '０'. */
        if (digit)
            gls_buf_printf(out, "[%c\\x{%X}]", u, 0xFF10 + (ch - '0'));
        else
            gls_buf_printf(out, "[%c%c\\x{%X}\\x{%X}]", u, l, 0xFF21 + (u - 'A'),
                           0xFF41 + (u - 'A'));
    }
    if (word_boundary)
        gls_buf_puts(out, "\\b");
}

/* Applies a compiled rule to 'from' the way prh does (every match left
 * to right; already expected or regexpMustEmpty skips it). New string. */
static char *apply_rule(const gls_regex_t *re, const char *expected, unsigned empty_group,
                        const char *from)
{
    gls_buf_t out;
    gls_buf_init(&out);
    gls_buf_append(&out, "", 0);
    size_t len = strlen(from), at = 0;
    gls_regex_match_t m;
    while (at <= len && gls_regex_find(re, from, len, at, &m) == 1) {
        gls_buf_append(&out, from + at, m.start - at);
        int skip = (m.end - m.start == strlen(expected) &&
                    memcmp(from + m.start, expected, m.end - m.start) == 0) ||
                   (empty_group && empty_group < m.group_count &&
                    m.groups[2 * empty_group] != (size_t)-1 &&
                    m.groups[2 * empty_group + 1] > m.groups[2 * empty_group]);
        if (skip)
            gls_buf_append(&out, from + m.start, m.end - m.start);
        else
            gls_regex_expand(&m, from, expected, &out);
        at = m.end;
    }
    if (at < len)
        gls_buf_append(&out, from + at, len - at);
    return gls_buf_steal(&out, NULL);
}

static int ignored(const gls_yaml_node_t *ignore, const char *expected, const char *raw_pattern)
{
    for (size_t i = 0; ignore && ignore->kind == GLS_YAML_SEQUENCE && i < ignore->count; i++) {
        const gls_yaml_node_t *r = ignore->items[i];
        const char *pat = r->kind == GLS_YAML_SCALAR ? r->value : gls_yaml_str(gls_yaml_get(r, "pattern"));
        const char *exp = gls_yaml_str(gls_yaml_get(r, "expected"));
        if ((exp && strcmp(exp, expected) == 0) || (pat && raw_pattern && strcmp(pat, raw_pattern) == 0))
            return 1;
    }
    return 0;
}

static void read_rule(prh_ctx_t *c, const gls_yaml_node_t *r, const gls_yaml_node_t *ignore)
{
    const gls_yaml_node_t *expected_n = r->kind == GLS_YAML_SCALAR ? r : gls_yaml_get(r, "expected");
    const char *expected = gls_yaml_str(expected_n);
    if (!expected) {
        report(c, r, GLS_SEV_ERROR, "glossary-type", "a prh rule needs an 'expected' string");
        return;
    }
    const gls_yaml_node_t *pattern = gls_yaml_get(r, "pattern");
    if (!pattern)
        pattern = gls_yaml_get(r, "patterns");
    int wb = gls_yaml_bool(gls_yaml_get(gls_yaml_get(r, "options"), "wordBoundary")) == 1;
    if (ignored(ignore, expected, gls_yaml_str(pattern)))
        return;
    gls_buf_t src;
    gls_buf_init(&src);
    int bad = 0;
    const gls_yaml_node_t *located = pattern ? pattern : expected_n;
    if (!pattern) {
        spread_expected(expected, wb, &src);
    } else if (pattern->kind == GLS_YAML_SEQUENCE) {
        gls_buf_puts(&src, "(?:");
        for (size_t i = 0; i < pattern->count && !bad; i++) {
            if (i)
                gls_buf_putc(&src, '|');
            bad = append_pattern(c, pattern->items[i], wb, &src) < 0;
        }
        gls_buf_putc(&src, ')');
        if (pattern->count == 0) {
            report(c, pattern, GLS_SEV_ERROR, "glossary-type", "'patterns' is empty");
            bad = 1;
        }
    } else {
        bad = append_pattern(c, pattern, wb, &src) < 0;
    }
    unsigned empty_group = 0;
    const char *must = gls_yaml_str(gls_yaml_get(r, "regexpMustEmpty"));
    if (must) {
        if (must[0] == '$' && must[1] >= '1' && must[1] <= '9' && !must[2])
            empty_group = (unsigned)(must[1] - '0');
        else {
            report(c, gls_yaml_get(r, "regexpMustEmpty"), GLS_SEV_ERROR, "glossary-type",
                   "regexpMustEmpty must be written $1 to $9");
            bad = 1;
        }
    }
    if (bad) {
        gls_buf_close(&src);
        return;
    }
    char err[256];
    size_t off;
    gls_regex_t *re = gls_regex_compile(src.data, src.len, 0, err, sizeof err, &off);
    if (!re) {
        report(c, located, GLS_SEV_ERROR, "glossary-bad-pattern",
               "the rule for \"%s\" does not compile: %s", expected, err);
        gls_buf_close(&src);
        return;
    }
    /* The rule's own examples first: prh refuses a rule that fails them. */
    const gls_yaml_node_t *specs = gls_yaml_get(r, "specs");
    int failed = 0;
    for (size_t i = 0; specs && specs->kind == GLS_YAML_SEQUENCE && i < specs->count; i++) {
        const gls_yaml_node_t *sp = specs->items[i];
        const char *from = gls_yaml_str(gls_yaml_get(sp, "from"));
        const char *to = gls_yaml_str(gls_yaml_get(sp, "to"));
        if (!from || !to) {
            report(c, sp, GLS_SEV_ERROR, "glossary-type", "a spec needs 'from' and 'to' strings");
            failed = 1;
            continue;
        }
        char *got = apply_rule(re, expected, empty_group, from);
        if (strcmp(got, to) != 0) {
            report(c, sp, GLS_SEV_ERROR, "prh-spec-failed",
                   "the spec of the rule for \"%s\" fails: \"%s\" should become \"%s\" but "
                   "becomes \"%s\"; the rule is not loaded",
                   expected, from, to, got);
            failed = 1;
        }
        free(got);
    }
    gls_regex_free(re);
    if (!failed) {
        gls_draft_pattern_t d = {src.data, src.len, GLS_PATTERN_AVOID, 0, expected, "prh rule",
                                 located->line, located->column, empty_group, 0};
        if (gls_builder_add_pattern(c->b, c->path, &d) < 0)
            c->errors++;
    }
    gls_buf_close(&src);
}

static int load_prh_file(gls_builder_t *b, const char *path, const char *text, size_t len,
                         const gls_yaml_node_t *ignore, int depth);

static void read_imports(prh_ctx_t *c, const gls_yaml_node_t *imports, int depth)
{
    size_t n = imports->kind == GLS_YAML_SEQUENCE ? imports->count : 1;
    for (size_t i = 0; i < n; i++) {
        const gls_yaml_node_t *imp = imports->kind == GLS_YAML_SEQUENCE ? imports->items[i] : imports;
        const gls_yaml_node_t *pn = imp->kind == GLS_YAML_SCALAR ? imp : gls_yaml_get(imp, "path");
        const char *rel = gls_yaml_str(pn);
        if (!rel) {
            report(c, imp, GLS_SEV_ERROR, "glossary-type", "an import needs a path");
            continue;
        }
        if (depth >= MAX_IMPORT_DEPTH) {
            report(c, imp, GLS_SEV_ERROR, "glossary-import",
                   "imports nested more than %d deep (a cycle?): '%s' not read", MAX_IMPORT_DEPTH,
                   rel);
            continue;
        }
        char dir[PATH_MAX], real_dir[PATH_MAX], real[PATH_MAX];
        const char *slash = strrchr(c->path, '/');
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - c->path) : 1, slash ? c->path : ".");
        char *joined = rel[0] == '/' ? gls_xstrdup(rel) : gls_xasprintf("%s/%s", dir, rel);
        int inside = realpath(dir, real_dir) && realpath(joined, real) &&
                     strncmp(real, real_dir, strlen(real_dir)) == 0 &&
                     real[strlen(real_dir)] == '/';
        if (!inside) {
            report(c, pn, GLS_SEV_ERROR, "glossary-import",
                   "cannot import '%s': missing, or outside this file's folder", rel);
            if (realpath(dir, real_dir))
                gls_builder_add_dependency(c->b, joined);
            free(joined);
            continue;
        }
        free(joined);
        gls_builder_add_dependency(c->b, real);
        char *t = NULL;
        size_t tl = 0;
        if (gls_read_file(real, MAX_PRH_FILE, &t, &tl) < 0) {
            report(c, pn, GLS_SEV_ERROR, "glossary-io", "cannot read the import '%s'", rel);
            continue;
        }
        int disable = gls_yaml_bool(gls_yaml_get(imp, "disableImports")) == 1;
        c->errors += load_prh_file(c->b, real, t, tl, gls_yaml_get(imp, "ignoreRules"),
                                   disable ? -1 : depth + 1);
        free(t);
    }
}

static int load_prh_file(gls_builder_t *b, const char *path, const char *text, size_t len,
                         const gls_yaml_node_t *ignore, int depth)
{
    prh_ctx_t c = {b, path, 0};
    gls_yaml_doc_t doc;
    if (gls_yaml_parse(&doc, text, len) < 0) {
        gls_diags_add(gls_builder_diags(b), path, doc.error_line, doc.error_column, GLS_SEV_ERROR,
                      "glossary-syntax", "%s", doc.error);
        gls_yaml_close(&doc);
        return 1;
    }
    const gls_yaml_node_t *root = doc.root;
    const gls_yaml_node_t *rules = gls_yaml_get(root, "rules");
    if (!root || root->kind != GLS_YAML_MAPPING || (rules && rules->kind != GLS_YAML_SEQUENCE)) {
        report(&c, root, GLS_SEV_ERROR, "glossary-type",
               "a prh file is a mapping with a 'rules' list");
    } else {
        const gls_yaml_node_t *imports = gls_yaml_get(root, "imports");
        if (imports && depth >= 0) /* depth < 0: disableImports */
            read_imports(&c, imports, depth);
        for (size_t i = 0; rules && i < rules->count; i++)
            read_rule(&c, rules->items[i], ignore);
    }
    gls_yaml_close(&doc);
    return c.errors;
}

int gls_load_prh(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    return load_prh_file(b, path, text, len, NULL, 0);
}
