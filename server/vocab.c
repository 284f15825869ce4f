/* vocab.c: vocabulary entries into the term model (see vocab.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/regex.h"
#include "gls/util.h"
#include "gls/vocab.h"

size_t gls_vocab_case_prefix(const char *entry, size_t len, unsigned *flags)
{
    if (len >= 4 && memcmp(entry, "(?i)", 4) == 0) {
        *flags |= GLS_REGEX_CASELESS;
        return 4;
    }
    if (len >= 5 && memcmp(entry, "(?-i)", 5) == 0) {
        *flags &= ~(unsigned)GLS_REGEX_CASELESS;
        return 5;
    }
    return 0;
}

/* A literal as a PCRE2 pattern: quoted, so no character is special. */
static char *quote_literal(const char *s, size_t len)
{
    gls_buf_t b;
    gls_buf_init(&b);
    gls_buf_puts(&b, "\\Q");
    /* "\E" inside ends the quoting: write it as \E\\E\Q. */
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len && s[i + 1] == 'E') {
            gls_buf_puts(&b, "\\E\\\\E\\Q");
            i++;
        } else {
            gls_buf_putc(&b, s[i]);
        }
    }
    gls_buf_puts(&b, "\\E");
    return gls_buf_steal(&b, NULL);
}

static int blank_entry(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

static const char *origin_of(const gls_vocab_at_t *at)
{
    if (at->origin)
        return at->origin;
    const char *slash = at->path ? strrchr(at->path, '/') : NULL;
    return slash ? slash + 1 : at->path ? at->path : "the vocabulary";
}

static unsigned literal_form_flags(unsigned regex_flags)
{
    return GLS_FORM_AS_WRITTEN | ((regex_flags & GLS_REGEX_CASELESS) ? 0 : GLS_FORM_CASE_SENSITIVE);
}

int gls_vocab_avoid(gls_builder_t *b, const gls_vocab_at_t *at, const char *entry, size_t len,
                    unsigned flags, const char *use, const char *why)
{
    if (blank_entry(entry, len))
        return -1;
    if (use && !*use)
        use = NULL;
    int literal = ((flags & GLS_VOCAB_LITERAL) || gls_regex_is_literal(entry, len)) &&
                  (!use || !strchr(use, '$'));
    int capitalize = (flags & GLS_VOCAB_CAPITALIZE) != 0;
    flags &= ~(GLS_VOCAB_LITERAL | GLS_VOCAB_CAPITALIZE);
    if (literal && use) {
        char *text = gls_xstrndup(entry, len);
        int only_case = strcasecmp(text, use) == 0;
        long owner = gls_builder_find_form(b, use);
        gls_draft_form_t form = {text, GLS_FORM_AVOID, literal_form_flags(flags), use, why,
                                 at->line, at->column};
        gls_draft_t d = {0};
        d.line = at->line;
        d.column = at->column;
        char *def = NULL;
        if (only_case) {
            /* "Javascript" -> "JavaScript": the exact spelling is the rule. */
            if (owner < 0) {
                d.term = use;
                d.term_flags = GLS_FORM_CASE_SENSITIVE | GLS_FORM_WELL_KNOWN;
                def = gls_xasprintf("Written \"%s\" exactly, as %s asks.", use, origin_of(at));
                d.definition = def;
                gls_builder_add(b, &d);
            }
            free(def);
            free(text);
            return 0;
        }
        if (owner >= 0) {
            /* The replacement is a known form: the entry joins its concept. */
            const gls_concept_t *c = gls_builder_concept(b, (uint32_t)owner);
            d.id = c->id;
            d.term = c->term;
            d.forms = &form;
            d.form_count = 1;
            gls_builder_extend(b, &d);
        } else {
            d.term = use;
            d.term_flags = GLS_FORM_WELL_KNOWN;
            d.forms = &form;
            d.form_count = 1;
            def = gls_xasprintf("The term %s asks for instead of \"%s\".", origin_of(at), text);
            d.definition = def;
            gls_builder_add(b, &d);
        }
        free(def);
        free(text);
        return 0;
    }
    char *quoted = literal ? quote_literal(entry, len) : NULL;
    gls_draft_pattern_t p = {quoted ? quoted : entry, quoted ? strlen(quoted) : len,
                             GLS_PATTERN_AVOID, flags | (literal ? GLS_REGEX_WORDS : 0), use, why,
                             at->line, at->column, 0, capitalize};
    int rc = gls_builder_add_pattern(b, at->path, &p);
    free(quoted);
    return rc;
}

int gls_vocab_accept(gls_builder_t *b, const gls_vocab_at_t *at, const char *entry, size_t len,
                     unsigned flags)
{
    if (blank_entry(entry, len))
        return -1;
    int literal = (flags & GLS_VOCAB_LITERAL) || gls_regex_is_literal(entry, len);
    flags &= ~GLS_VOCAB_LITERAL;
    if (literal) {
        char *text = gls_xstrndup(entry, len);
        if (gls_builder_find_form(b, text) < 0) {
            gls_draft_t d = {0};
            d.term = text;
            d.line = at->line;
            d.column = at->column;
            d.term_flags = GLS_FORM_WELL_KNOWN |
                           ((flags & GLS_REGEX_CASELESS) ? 0 : GLS_FORM_CASE_SENSITIVE);
            char *def = gls_xasprintf((flags & GLS_REGEX_CASELESS)
                                          ? "\"%s\" is a word %s accepts, in any case."
                                          : "Written \"%s\" exactly, as %s accepts it.",
                                      text, origin_of(at));
            d.definition = def;
            gls_builder_add(b, &d);
            free(def);
        }
        free(text);
        return 0;
    }
    if (flags & GLS_REGEX_CASELESS)
        return 0; /* any case is right: nothing to check */
    gls_draft_pattern_t p = {entry, len, GLS_PATTERN_EXACT_CASE, flags | GLS_REGEX_WORDS, NULL,
                             NULL, at->line, at->column, 0, 0};
    return gls_builder_add_pattern(b, at->path, &p);
}
