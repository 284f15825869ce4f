/* load_json.c: the native JSON glossary format (docs/glossary.schema.json)
 * and the embedded built-in glossary. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gls/jsonpos.h"
#include "gls/loader.h"
#include "gls/regex.h"
#include "gls/util.h"

extern const char gls_builtin_json[];
extern const char gls_builtin_json_end[];

const char *gls_builtin_source(size_t *len)
{
    *len = (size_t)(gls_builtin_json_end - gls_builtin_json);
    return gls_builtin_json;
}

typedef struct ctx {
    gls_builder_t *b;
    const char *path;
    const char *text;
    size_t len;
    size_t line_off;   /* a cursor for string_column: offset of line 'line_at' */
    uint32_t line_at;
    gls_jsonpos_t pos;
    int errors;
    /* Scratch storage for one draft, reset per concept. */
    gls_draft_form_t *forms;
    size_t form_count, form_cap;
    const char **strings[2];
    size_t string_count[2], string_cap[2];
    gls_value_range_t values[16];
    size_t value_count;
} ctx_t;

static void report(ctx_t *c, gls_severity_t sev, const char *code, const char *jpath,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(ctx_t *c, gls_severity_t sev, const char *code, const char *jpath,
                   const char *fmt, ...)
{
    uint32_t line, col;
    gls_jsonpos_get(&c->pos, jpath, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    gls_diags_vadd(gls_builder_diags(c->b), c->path, line, col, sev, code, fmt, ap);
    va_end(ap);
    if (sev == GLS_SEV_ERROR)
        c->errors++;
}

static void push_form(ctx_t *c, gls_draft_form_t f)
{
    if (c->form_count == c->form_cap) {
        c->form_cap = c->form_cap ? c->form_cap * 2 : 8;
        c->forms = gls_xrealloc(c->forms, c->form_cap * sizeof *c->forms);
    }
    c->forms[c->form_count++] = f;
}

static void push_string(ctx_t *c, int which, const char *s)
{
    if (c->string_count[which] == c->string_cap[which]) {
        c->string_cap[which] = c->string_cap[which] ? c->string_cap[which] * 2 : 8;
        c->strings[which] =
            gls_xrealloc(c->strings[which], c->string_cap[which] * sizeof(char *));
    }
    c->strings[which][c->string_count[which]++] = s;
}

static void form_position(ctx_t *c, const char *jpath, gls_draft_form_t *f)
{
    gls_jsonpos_get(&c->pos, jpath, &f->line, &f->column);
}

/* Reads a list of forms: strings, or objects {form, ordinaryWord, wellKnown}. */
static void read_forms(ctx_t *c, json_t *list, const char *base, gls_form_kind_t kind)
{
    char jp[512];
    if (!json_is_array(list)) {
        report(c, GLS_SEV_ERROR, "glossary-type", base, "'%s' must be an array of strings",
               strrchr(base, '/') + 1);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        snprintf(jp, sizeof jp, "%s/%zu", base, i);
        gls_draft_form_t f = {0};
        f.kind = kind;
        if (json_is_string(v)) {
            f.text = json_string_value(v);
        } else if (json_is_object(v)) {
            const char *k;
            json_t *m;
            json_object_foreach(v, k, m) {
                char kp[640];
                snprintf(kp, sizeof kp, "%s/%s", jp, k);
                if (strcmp(k, "form") == 0 && json_is_string(m))
                    f.text = json_string_value(m);
                else if (strcmp(k, "ordinaryWord") == 0 && json_is_boolean(m))
                    f.flags |= json_is_true(m) ? GLS_FORM_ORDINARY_WORD : 0;
                else if (strcmp(k, "wellKnown") == 0 && json_is_boolean(m))
                    f.flags |= json_is_true(m) ? GLS_FORM_WELL_KNOWN : 0;
                else if (strcmp(k, "caseSensitive") == 0 && json_is_boolean(m))
                    f.flags |= json_is_true(m) ? GLS_FORM_CASE_SENSITIVE : 0;
                else if (strcmp(k, "form") == 0 || strcmp(k, "ordinaryWord") == 0 ||
                         strcmp(k, "wellKnown") == 0 || strcmp(k, "caseSensitive") == 0)
                    report(c, GLS_SEV_ERROR, "glossary-type", kp, "'%s' has the wrong type", k);
                else
                    report(c, GLS_SEV_WARNING, "glossary-unknown-key", kp,
                           "unknown key '%s' ignored", k);
            }
            if (!f.text) {
                report(c, GLS_SEV_ERROR, "glossary-type", jp, "a form object needs a 'form' string");
                continue;
            }
        } else {
            report(c, GLS_SEV_ERROR, "glossary-type", jp, "expected a string");
            continue;
        }
        form_position(c, jp, &f);
        push_form(c, f);
    }
}

static void read_avoid(ctx_t *c, json_t *list, const char *base, const char *term)
{
    char jp[512];
    if (!json_is_array(list)) {
        report(c, GLS_SEV_ERROR, "glossary-type", base, "'avoid' must be an array");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        snprintf(jp, sizeof jp, "%s/%zu", base, i);
        gls_draft_form_t f = {0};
        f.kind = GLS_FORM_AVOID;
        f.use = term;
        if (json_is_string(v)) {
            f.text = json_string_value(v);
        } else if (json_is_object(v)) {
            const char *k;
            json_t *m;
            json_object_foreach(v, k, m) {
                char kp[640];
                snprintf(kp, sizeof kp, "%s/%s", jp, k);
                const char **slot = strcmp(k, "term") == 0  ? &f.text
                                    : strcmp(k, "use") == 0 ? &f.use
                                    : strcmp(k, "why") == 0 ? &f.why
                                                            : NULL;
                if (!slot)
                    report(c, GLS_SEV_WARNING, "glossary-unknown-key", kp,
                           "unknown key '%s' ignored", k);
                else if (!json_is_string(m))
                    report(c, GLS_SEV_ERROR, "glossary-type", kp, "'%s' must be a string", k);
                else
                    *slot = json_string_value(m);
            }
            if (!f.text) {
                report(c, GLS_SEV_ERROR, "glossary-type", jp, "an avoid entry needs a 'term'");
                continue;
            }
        } else {
            report(c, GLS_SEV_ERROR, "glossary-type", jp, "expected a string or an object");
            continue;
        }
        form_position(c, jp, &f);
        push_form(c, f);
    }
}

static void read_strings(ctx_t *c, json_t *list, const char *base, int which)
{
    char jp[512];
    if (!json_is_array(list)) {
        report(c, GLS_SEV_ERROR, "glossary-type", base, "expected an array of strings");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        snprintf(jp, sizeof jp, "%s/%zu", base, i);
        if (!json_is_string(v))
            report(c, GLS_SEV_ERROR, "glossary-type", jp, "expected a string");
        else
            push_string(c, which, json_string_value(v));
    }
}

static void read_facts(ctx_t *c, json_t *facts, const char *base, gls_draft_t *d)
{
    char jp[512];
    if (!json_is_object(facts)) {
        report(c, GLS_SEV_ERROR, "glossary-type", base, "'facts' must be an object");
        return;
    }
    const char *k;
    json_t *m;
    json_object_foreach(facts, k, m) {
        snprintf(jp, sizeof jp, "%s/%s", base, k);
        if (strcmp(k, "values") == 0) {
            if (!json_is_array(m)) {
                report(c, GLS_SEV_ERROR, "glossary-type", jp, "'values' must be an array");
                continue;
            }
            size_t i;
            json_t *v;
            json_array_foreach(m, i, v) {
                char vp[640];
                snprintf(vp, sizeof vp, "%s/%zu", jp, i);
                json_t *unit = json_object_get(v, "unit");
                int u = json_is_string(unit) ? gls_unit_from_name(json_string_value(unit)) : -1;
                if (!json_is_object(v) || u < 0) {
                    report(c, GLS_SEV_ERROR, "glossary-type", vp,
                           "a value needs a 'unit' (percent, score, currency, count, ratio, days "
                           "or months)");
                    continue;
                }
                if (c->value_count == GLS_ARRAY_LEN(c->values)) {
                    report(c, GLS_SEV_WARNING, "glossary-limit", vp, "too many value ranges");
                    break;
                }
                gls_value_range_t r = {(uint8_t)u, 0, 0, 0, 0};
                json_t *mn = json_object_get(v, "min"), *mx = json_object_get(v, "max");
                if (mn && !json_is_number(mn))
                    report(c, GLS_SEV_ERROR, "glossary-type", vp, "'min' must be a number");
                else if (mn)
                    r.has_min = 1, r.min = json_number_value(mn);
                if (mx && !json_is_number(mx))
                    report(c, GLS_SEV_ERROR, "glossary-type", vp, "'max' must be a number");
                else if (mx)
                    r.has_max = 1, r.max = json_number_value(mx);
                if (r.has_min && r.has_max && r.min > r.max)
                    report(c, GLS_SEV_ERROR, "glossary-range", vp, "'min' is above 'max'");
                c->values[c->value_count++] = r;
            }
        } else if (strcmp(k, "cadence") == 0) {
            if (json_is_string(m))
                d->cadence = json_string_value(m);
            else
                report(c, GLS_SEV_ERROR, "glossary-type", jp, "'cadence' must be a string");
        } else if (strcmp(k, "contradictingQualifiers") == 0) {
            read_strings(c, m, jp, 1);
        } else {
            report(c, GLS_SEV_WARNING, "glossary-unknown-key", jp, "unknown key '%s' ignored", k);
        }
    }
}

static void read_concept(ctx_t *c, json_t *obj, size_t index)
{
    char base[64], jp[256];
    snprintf(base, sizeof base, "/concepts/%zu", index);
    if (!json_is_object(obj)) {
        report(c, GLS_SEV_ERROR, "glossary-type", base, "a concept must be an object");
        return;
    }
    gls_draft_t d = {0};
    c->form_count = 0;
    c->string_count[0] = c->string_count[1] = 0;
    c->value_count = 0;
    gls_jsonpos_get(&c->pos, base, &d.line, &d.column);
    json_t *term = json_object_get(obj, "term");
    if (!json_is_string(term) || !*json_string_value(term)) {
        snprintf(jp, sizeof jp, "%s/term", base);
        report(c, GLS_SEV_ERROR, "glossary-missing-term", term ? jp : base,
               "a concept needs a non-empty 'term' string");
        return;
    }
    d.term = json_string_value(term);
    const char *k;
    json_t *m;
    int disabled = 0, extend = 0;
    json_object_foreach(obj, k, m) {
        snprintf(jp, sizeof jp, "%s/%s", base, k);
        if (strcmp(k, "term") == 0) {
            continue;
        } else if (strcmp(k, "id") == 0 || strcmp(k, "definition") == 0) {
            if (!json_is_string(m))
                report(c, GLS_SEV_ERROR, "glossary-type", jp, "'%s' must be a string", k);
            else if (k[0] == 'i')
                d.id = json_string_value(m);
            else
                d.definition = json_string_value(m);
        } else if (strcmp(k, "abbreviations") == 0) {
            read_forms(c, m, jp, GLS_FORM_ABBREV);
        } else if (strcmp(k, "aliases") == 0) {
            read_forms(c, m, jp, GLS_FORM_ALIAS);
        } else if (strcmp(k, "avoid") == 0) {
            read_avoid(c, m, jp, d.term);
        } else if (strcmp(k, "seeAlso") == 0) {
            read_strings(c, m, jp, 0);
        } else if (strcmp(k, "facts") == 0) {
            read_facts(c, m, jp, &d);
        } else if (strcmp(k, "caseSensitive") == 0) {
            if (!json_is_boolean(m))
                report(c, GLS_SEV_ERROR, "glossary-type", jp,
                       "'caseSensitive' must be true or false");
            d.term_flags = json_is_true(m) ? GLS_FORM_CASE_SENSITIVE : 0;
        } else if (strcmp(k, "extend") == 0) {
            if (!json_is_boolean(m))
                report(c, GLS_SEV_ERROR, "glossary-type", jp, "'extend' must be true or false");
            extend = json_is_true(m);
        } else if (strcmp(k, "disabled") == 0) {
            if (!json_is_boolean(m))
                report(c, GLS_SEV_ERROR, "glossary-type", jp, "'disabled' must be true or false");
            disabled = json_is_true(m);
        } else {
            report(c, GLS_SEV_WARNING, "glossary-unknown-key", jp, "unknown key '%s' ignored", k);
        }
    }
    if (disabled) {
        /* A later source switching off a concept of an earlier one. */
        gls_builder_remove(c->b, d.id ? d.id : NULL, d.term);
        return;
    }
    d.forms = c->forms;
    d.form_count = c->form_count;
    d.see_also = c->strings[0];
    d.see_also_count = c->string_count[0];
    d.contradicting = c->strings[1];
    d.contradicting_count = c->string_count[1];
    d.values = c->values;
    d.value_count = c->value_count;
    if (extend)
        gls_builder_extend(c->b, &d);
    else
        gls_builder_add(c->b, &d);
}

/* The column of the first character inside the string value of the
 * member whose key starts at (line, col): jsonpos records keys. Patterns
 * come in file order, so a cursor keeps this linear. */
static uint32_t string_column(ctx_t *c, uint32_t line, uint32_t col)
{
    if (line < c->line_at || c->line_at == 0) {
        c->line_at = 1;
        c->line_off = 0;
    }
    while (c->line_at < line && c->line_off < c->len) {
        const char *nl = memchr(c->text + c->line_off, '\n', c->len - c->line_off);
        if (!nl)
            return col;
        c->line_off = (size_t)(nl - c->text) + 1;
        c->line_at++;
    }
    size_t i = c->line_off;
    uint32_t at = 1;
    while (i < c->len && at < col) {
        i++;
        while (i < c->len && ((unsigned char)c->text[i] & 0xc0) == 0x80)
            i++;
        at++;
    }
    int quotes = 0; /* the key's two, then the value's opening one */
    while (i < c->len && c->text[i] != '\n' && quotes < 3) {
        if (c->text[i] == '\\')
            i++, at++;
        else if (c->text[i] == '"')
            quotes++;
        i++;
        at += ((unsigned char)c->text[i - 1] & 0xc0) != 0x80;
    }
    return quotes == 3 ? at : col;
}

/* "patterns": [{"pattern": "utili[sz]e", "use": "use", "why": "...",
 * "ignoreCase": true, "wholeWords": true, "kind": "avoid" | "exact-case"}]:
 * regular expressions, as imported from Vale, prh and textlint. */
static void read_known_words(ctx_t *c, json_t *list)
{
    if (!json_is_array(list)) {
        report(c, GLS_SEV_ERROR, "glossary-type", "/knownWords", "'knownWords' must be an array");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        char jp[64];
        snprintf(jp, sizeof jp, "/knownWords/%zu", i);
        if (!json_is_string(v) || !json_string_length(v))
            report(c, GLS_SEV_WARNING, "glossary-type", jp,
                   "a known word must be a non-empty string; ignored");
        else
            gls_builder_add_known_word(c->b, json_string_value(v), json_string_length(v));
    }
}

static void read_patterns(ctx_t *c, json_t *list)
{
    if (!json_is_array(list)) {
        report(c, GLS_SEV_ERROR, "glossary-type", "/patterns", "'patterns' must be an array");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        char jp[64], kp[128];
        snprintf(jp, sizeof jp, "/patterns/%zu", i);
        if (!json_is_object(v)) {
            report(c, GLS_SEV_ERROR, "glossary-type", jp, "a pattern must be an object");
            continue;
        }
        gls_draft_pattern_t d = {0};
        d.kind = GLS_PATTERN_AVOID;
        int bad = 0;
        const char *k;
        json_t *m;
        json_object_foreach(v, k, m) {
            snprintf(kp, sizeof kp, "%s/%s", jp, k);
            int is_string = json_is_string(m), is_bool = json_is_boolean(m);
            if (strcmp(k, "pattern") == 0 && is_string) {
                d.regex = json_string_value(m);
                d.regex_len = json_string_length(m);
                gls_jsonpos_get(&c->pos, kp, &d.line, &d.column);
                d.column = string_column(c, d.line, d.column);
            } else if (strcmp(k, "use") == 0 && is_string) {
                d.use = json_string_value(m);
            } else if (strcmp(k, "why") == 0 && is_string) {
                d.why = json_string_value(m);
            } else if (strcmp(k, "ignoreCase") == 0 && is_bool) {
                d.flags |= json_is_true(m) ? GLS_REGEX_CASELESS : 0;
            } else if (strcmp(k, "emptyGroup") == 0 && json_is_integer(m) &&
                       json_integer_value(m) >= 1 && json_integer_value(m) <= 9) {
                d.empty_group = (unsigned)json_integer_value(m);
            } else if (strcmp(k, "capitalize") == 0 && is_bool) {
                d.capitalize = json_is_true(m);
            } else if (strcmp(k, "wholeWords") == 0 && is_bool) {
                d.flags |= json_is_true(m) ? GLS_REGEX_WORDS : 0;
            } else if (strcmp(k, "kind") == 0 && is_string &&
                       (strcmp(json_string_value(m), "avoid") == 0 ||
                        strcmp(json_string_value(m), "exact-case") == 0)) {
                d.kind = json_string_value(m)[0] == 'a' ? GLS_PATTERN_AVOID
                                                        : GLS_PATTERN_EXACT_CASE;
            } else if (strcmp(k, "pattern") == 0 || strcmp(k, "use") == 0 ||
                       strcmp(k, "why") == 0 || strcmp(k, "ignoreCase") == 0 ||
                       strcmp(k, "wholeWords") == 0 || strcmp(k, "kind") == 0 ||
                       strcmp(k, "emptyGroup") == 0 || strcmp(k, "capitalize") == 0) {
                report(c, GLS_SEV_ERROR, "glossary-type", kp,
                       strcmp(k, "kind") == 0 ? "'kind' must be \"avoid\" or \"exact-case\""
                                              : "'%s' has the wrong type", k);
                bad = 1;
            } else {
                report(c, GLS_SEV_WARNING, "glossary-unknown-key", kp, "unknown key '%s' ignored",
                       k);
            }
        }
        if (!d.regex || d.regex_len == 0) {
            report(c, GLS_SEV_ERROR, "glossary-type", jp, "a pattern needs a non-empty 'pattern'");
            continue;
        }
        if (!bad && gls_builder_add_pattern(c->b, c->path, &d) < 0)
            c->errors++;
    }
}

int gls_load_json(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    ctx_t c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    c.text = text;
    c.len = len;
    size_t skip = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    json_error_t err;
    json_t *root = json_loadb(text + skip, len - skip, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        /* jansson leaves the text empty when one of its allocations fails
         * (found by tests/unit/test_faults.c): still say what happened. */
        gls_diags_add(gls_builder_diags(b), path, (uint32_t)(err.line > 0 ? err.line : 0),
                      (uint32_t)(err.column > 0 ? err.column : 0), GLS_SEV_ERROR,
                      "glossary-syntax", "%s",
                      err.text[0] ? err.text : "could not read the JSON: out of memory");
        return 1;
    }
    gls_jsonpos_build(&c.pos, text, len);
    json_t *concepts = NULL, *patterns = NULL, *known = NULL;
    if (json_is_array(root)) {
        concepts = root; /* a bare list of concepts is accepted too */
    } else if (json_is_object(root)) {
        const char *k;
        json_t *m;
        json_object_foreach(root, k, m) {
            char jp[128];
            snprintf(jp, sizeof jp, "/%s", k);
            if (strcmp(k, "concepts") == 0)
                concepts = m;
            else if (strcmp(k, "patterns") == 0)
                patterns = m;
            else if (strcmp(k, "knownWords") == 0)
                known = m;
            else if (strcmp(k, "$schema") != 0 && strcmp(k, "name") != 0 &&
                     strcmp(k, "version") != 0 && strcmp(k, "description") != 0)
                report(&c, GLS_SEV_WARNING, "glossary-unknown-key", jp,
                       "unknown key '%s' ignored", k);
        }
        if (!concepts)
            report(&c, GLS_SEV_ERROR, "glossary-type", "", "no 'concepts' array");
    } else {
        report(&c, GLS_SEV_ERROR, "glossary-type", "",
               "a glossary must be an object with a 'concepts' array");
    }
    if (concepts && !json_is_array(concepts)) {
        report(&c, GLS_SEV_ERROR, "glossary-type", "/concepts", "'concepts' must be an array");
    } else if (concepts) {
        size_t i;
        json_t *v;
        json_array_foreach(concepts, i, v) read_concept(&c, v, i);
    }
    if (patterns)
        read_patterns(&c, patterns);
    if (known)
        read_known_words(&c, known);
    /* Concepts with problems were reported above; the builder reports
     * conflicts itself, counted by the caller from the diagnostics. */
    json_decref(root);
    gls_jsonpos_close(&c.pos);
    free(c.forms);
    free(c.strings[0]);
    free(c.strings[1]);
    return c.errors;
}

int gls_load_builtin(gls_builder_t *b)
{
    size_t len;
    const char *text = gls_builtin_source(&len);
    return gls_load_json(b, "built-in", text, len);
}

int gls_read_file(const char *path, size_t max, char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return -EISDIR;
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        return -EFBIG;
    }
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_reserve(&b, (size_t)st.st_size + 1);
    for (;;) {
        gls_buf_reserve(&b, 65536);
        ssize_t n = read(fd, b.data + b.len, b.cap - b.len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            gls_buf_close(&b);
            return -e;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
        b.data[b.len] = '\0';
        if (b.len > max) {
            close(fd);
            gls_buf_close(&b);
            return -EFBIG;
        }
    }
    close(fd);
    *out = gls_buf_steal(&b, len);
    return 0;
}
