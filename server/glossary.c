/* glossary.c: building, freezing and linting the term model. */
#include "gls/glossary.h"

#include <ctype.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <strings.h>

#include "gls/arena.h"
#include "gls/matcher.h"
#include "gls/regex.h"
#include "gls/strmap.h"
#include "gls/text.h"
#include "gls/util.h"

static const char *unit_names[GLS_UNIT_COUNT_OF_UNITS] = {
    "percent", "score", "currency", "count", "ratio", "days", "months"};

const char *gls_unit_name(gls_unit_t unit)
{
    return unit < GLS_UNIT_COUNT_OF_UNITS ? unit_names[unit] : "?";
}

int gls_unit_from_name(const char *name)
{
    for (int i = 0; i < GLS_UNIT_COUNT_OF_UNITS; i++)
        if (strcmp(name, unit_names[i]) == 0)
            return i;
    return -1;
}

/* A concept while building: its forms in a growable array. */
typedef struct bconcept {
    gls_concept_t c;
    gls_form_t *forms;
    uint32_t form_count, form_cap;
    int removed;
} bconcept_t;

struct gls_builder {
    const char *source;  /* in the arena */
    gls_arena_t *arena;
    bconcept_t *concepts;
    uint32_t count, cap;
    gls_strmap_t ids;    /* id -> concept */
    gls_strmap_t keys;   /* form key -> concept */
    gls_pattern_t *patterns; /* compiled; owned until freeze hands them on */
    uint32_t pattern_count, pattern_cap;
    gls_strmap_t known_words;
    gls_strmap_t dependencies; /* path -> 1 */
    gls_diags_t diags;
};

gls_builder_t *gls_builder_new(const char *source)
{
    gls_builder_t *b = gls_xcalloc(1, sizeof *b);
    b->arena = gls_arena_new();
    b->source = gls_arena_strdup(b->arena, source ? source : "");
    gls_strmap_init(&b->ids);
    gls_strmap_init(&b->keys);
    gls_strmap_init(&b->known_words);
    gls_strmap_init(&b->dependencies);
    gls_diags_init(&b->diags);
    return b;
}

void gls_builder_set_source(gls_builder_t *b, const char *source)
{
    b->source = gls_arena_strdup(b->arena, source ? source : "");
}

void gls_builder_free(gls_builder_t *b)
{
    if (!b)
        return;
    for (uint32_t i = 0; i < b->count; i++)
        free(b->concepts[i].forms);
    free(b->concepts);
    for (uint32_t i = 0; i < b->pattern_count; i++) {
        gls_regex_free(b->patterns[i].compiled);
        gls_regex_free(b->patterns[i].exact);
    }
    free(b->patterns);
    gls_strmap_close(&b->known_words);
    gls_strmap_close(&b->dependencies);
    gls_strmap_close(&b->ids);
    gls_strmap_close(&b->keys);
    gls_diags_close(&b->diags);
    gls_arena_free(b->arena);
    free(b);
}

gls_diags_t *gls_builder_diags(gls_builder_t *b)
{
    return &b->diags;
}

/* Shape of a form: acronym-like forms (no white space, two or more capitals,
 * at least as many capitals as lowercase letters: NRR, QBRs? no - QBR,
 * tNPS, SaaS, DAU/MAU) match case-sensitively. */
static unsigned shape_flags(const char *text)
{
    unsigned upper = 0, lower = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == ' ' || *p == '\t')
            return 0;
        if (isupper(*p))
            upper++;
        else if (islower(*p))
            lower++;
    }
    if (upper >= 2 && upper >= lower)
        return GLS_FORM_ACRONYM | GLS_FORM_CASE_SENSITIVE;
    return 0;
}

/* The key under which a form is unique: folded, with hyphens and runs of
 * white space as one space. */
static void form_key(const char *text, gls_buf_t *key)
{
    gls_buf_t folded;
    gls_buf_init(&folded);
    gls_fold(text, strlen(text), &folded);
    gls_buf_clear(key);
    int space = 0;
    for (size_t i = 0; i < folded.len; i++) {
        char c = folded.data[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '-') {
            space = key->len > 0;
            continue;
        }
        if (space)
            gls_buf_putc(key, ' ');
        space = 0;
        gls_buf_putc(key, c);
    }
    if (!key->data)
        gls_buf_reserve(key, 1);
    gls_buf_close(&folded);
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static const char *kind_name(gls_form_kind_t k)
{
    switch (k) {
    case GLS_FORM_TERM:
        return "term";
    case GLS_FORM_ABBREV:
        return "abbreviation";
    case GLS_FORM_ALIAS:
        return "alias";
    default:
        return "term to avoid";
    }
}

static void append_form(gls_builder_t *b, uint32_t ci, const gls_draft_form_t *df,
                        unsigned extra);

/* True when concept 'bc' already has a form spelled exactly 'text'
 * (ignoring case). */
static int same_spelling(const bconcept_t *bc, const char *text)
{
    for (uint32_t k = 0; k < bc->form_count; k++)
        if (strcasecmp(bc->forms[k].text, text) == 0)
            return 1;
    return 0;
}

long gls_builder_find_form(gls_builder_t *b, const char *text)
{
    gls_buf_t key;
    gls_buf_init(&key);
    form_key(text, &key);
    uint32_t *owner = gls_strmap_get(&b->keys, key.data, key.len);
    gls_buf_close(&key);
    if (!owner || *owner == UINT32_MAX || b->concepts[*owner].removed)
        return -1;
    return (long)*owner;
}

const gls_concept_t *gls_builder_concept(gls_builder_t *b, uint32_t index)
{
    return index < b->count ? &b->concepts[index].c : NULL;
}

/* Adds one form to concept 'ci' unless its key is taken. */
static void add_form(gls_builder_t *b, uint32_t ci, const gls_draft_form_t *df)
{
    bconcept_t *bc = &b->concepts[ci];
    if (blank(df->text)) {
        gls_diags_add(&b->diags, b->source, df->line, df->column, GLS_SEV_WARNING,
                      "glossary-empty-form", "empty %s in concept '%s' ignored",
                      kind_name(df->kind), bc->c.id);
        return;
    }
    gls_buf_t key;
    gls_buf_init(&key);
    form_key(df->text, &key);
    uint32_t *owner = gls_strmap_get(&b->keys, key.data, key.len);
    if (owner && *owner != UINT32_MAX) {
        bconcept_t *other = &b->concepts[*owner];
        if (*owner == ci && df->kind == GLS_FORM_AVOID && !same_spelling(bc, df->text)) {
            /* "cross sell" to avoid in favour of "cross-sell": a spelling
             * rule, kept out of the index. */
            gls_buf_close(&key);
            append_form(b, ci, df, GLS_FORM_SPELLING);
            return;
        }
        if (*owner == ci && df->kind == GLS_FORM_AVOID) {
            /* A later source (a team's vocabulary) marking an admitted
             * form of an earlier one to avoid: the later word wins. */
            for (uint32_t k = 0; k < bc->form_count; k++) {
                gls_form_t *f = &bc->forms[k];
                if ((f->kind == GLS_FORM_ALIAS || f->kind == GLS_FORM_ABBREV) &&
                    strcasecmp(f->text, df->text) == 0 && bc->c.source != b->source) {
                    f->kind = GLS_FORM_AVOID;
                    f->flags |= (uint8_t)(df->flags & GLS_FORM_AS_WRITTEN);
                    f->use = gls_arena_strdup(b->arena, df->use);
                    f->why = gls_arena_strdup(b->arena, df->why);
                    f->line = df->line;
                    f->column = df->column;
                    gls_buf_close(&key);
                    return;
                }
            }
        }
        if (*owner == ci) {
            /* The same concept listing a form twice: harmless, say so once. */
            gls_diags_add(&b->diags, b->source, df->line, df->column, GLS_SEV_INFO,
                          "glossary-duplicate-form", "'%s' is listed twice in concept '%s'",
                          df->text, bc->c.id);
        } else {
            int avoid_vs_preferred = df->kind == GLS_FORM_AVOID;
            for (uint32_t k = 0; k < other->form_count && !avoid_vs_preferred; k++) {
                gls_buf_t ok;
                gls_buf_init(&ok);
                form_key(other->forms[k].text, &ok);
                if (ok.len == key.len && memcmp(ok.data, key.data, key.len) == 0 &&
                    other->forms[k].kind == GLS_FORM_AVOID)
                    avoid_vs_preferred = 1;
                gls_buf_close(&ok);
            }
            if (avoid_vs_preferred)
                gls_diags_add(&b->diags, b->source, df->line, df->column, GLS_SEV_ERROR,
                              "glossary-avoid-conflict",
                              "'%s' is to be avoided in one concept and used in another ('%s' "
                              "and '%s'); kept in '%s' only",
                              df->text, other->c.id, bc->c.id, other->c.id);
            else
                gls_diags_add(&b->diags, b->source, df->line, df->column, GLS_SEV_ERROR,
                              "glossary-conflict",
                              "'%s' is claimed by two concepts, '%s' (%s:%u) and '%s'; kept in "
                              "'%s' only",
                              df->text, other->c.id, other->c.source, other->c.line, bc->c.id,
                              other->c.id);
        }
        gls_buf_close(&key);
        return;
    }
    gls_strmap_put(&b->keys, key.data, key.len, ci);
    gls_buf_close(&key);
    append_form(b, ci, df, 0);
}

static void append_form(gls_builder_t *b, uint32_t ci, const gls_draft_form_t *df,
                        unsigned extra)
{
    bconcept_t *bc = &b->concepts[ci];
    if (bc->form_count == bc->form_cap) {
        bc->form_cap = bc->form_cap ? bc->form_cap * 2 : 4;
        bc->forms = gls_xrealloc(bc->forms, bc->form_cap * sizeof *bc->forms);
    }
    gls_form_t *f = &bc->forms[bc->form_count++];
    memset(f, 0, sizeof *f);
    f->text = gls_arena_strdup(b->arena, df->text);
    f->kind = (uint8_t)df->kind;
    unsigned flags = df->flags;
    if (df->kind != GLS_FORM_TERM || !(flags & GLS_FORM_CASE_SENSITIVE))
        flags |= shape_flags(df->text);
    if (df->kind == GLS_FORM_ABBREV)
        flags |= GLS_FORM_ACRONYM | GLS_FORM_CASE_SENSITIVE;
    f->flags = (uint8_t)(flags | extra);
    f->use = gls_arena_strdup(b->arena, df->use);
    f->why = gls_arena_strdup(b->arena, df->why);
    f->concept = ci;
    f->line = df->line;
    f->column = df->column;
}

/* Derives an id from a term: lowercase words joined by '-'. */
static char *derive_id(const char *term)
{
    gls_buf_t id;
    gls_buf_init(&id);
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)term; *p; p++) {
        if (isalnum(*p) || *p >= 0x80) {
            if (dash && id.len)
                gls_buf_putc(&id, '-');
            dash = 0;
            gls_buf_putc(&id, (char)tolower(*p));
        } else {
            dash = 1;
        }
    }
    if (!id.data)
        gls_buf_puts(&id, "concept");
    return gls_buf_steal(&id, NULL);
}

static const char **copy_strings(gls_arena_t *a, const char **src, size_t n)
{
    if (!n)
        return NULL;
    const char **out = gls_arena_alloc(a, n * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = gls_arena_strdup(a, src[i]);
    return out;
}

uint32_t gls_builder_add(gls_builder_t *b, const gls_draft_t *d)
{
    char *derived = d->id && *d->id ? NULL : derive_id(d->term ? d->term : "");
    const char *id = derived ? derived : d->id;
    uint32_t *existing = gls_strmap_get(&b->ids, id, strlen(id));
    if (existing && !b->concepts[*existing].removed) {
        bconcept_t *old = &b->concepts[*existing];
        if (old->c.source == b->source) {
            gls_diags_add(&b->diags, b->source, d->line, d->column, GLS_SEV_ERROR,
                          "glossary-duplicate-concept",
                          "concept '%s' is defined twice (first at line %u); the first is kept",
                          id, old->c.line);
            free(derived);
            return *existing;
        }
        /* A later source overrides an earlier one's concept of the same id. */
        gls_builder_remove(b, id, NULL);
    }
    if (b->count == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->concepts = gls_xrealloc(b->concepts, b->cap * sizeof *b->concepts);
    }
    uint32_t ci = b->count++;
    bconcept_t *bc = &b->concepts[ci];
    memset(bc, 0, sizeof *bc);
    bc->c.id = gls_arena_strdup(b->arena, id);
    bc->c.term = gls_arena_strdup(b->arena, d->term ? d->term : id);
    bc->c.definition = gls_arena_strdup(b->arena, d->definition ? d->definition : "");
    bc->c.source = b->source;
    bc->c.line = d->line;
    bc->c.column = d->column;
    bc->c.see_also = copy_strings(b->arena, d->see_also, d->see_also_count);
    bc->c.see_also_count = (uint32_t)d->see_also_count;
    if (d->value_count) {
        bc->c.values = gls_arena_alloc(b->arena, d->value_count * sizeof *bc->c.values);
        memcpy(bc->c.values, d->values, d->value_count * sizeof *bc->c.values);
        bc->c.value_count = (uint32_t)d->value_count;
    }
    bc->c.cadence = gls_arena_strdup(b->arena, d->cadence);
    bc->c.contradicting = copy_strings(b->arena, d->contradicting, d->contradicting_count);
    bc->c.contradicting_count = (uint32_t)d->contradicting_count;
    gls_strmap_put(&b->ids, id, strlen(id), ci);
    free(derived);

    if (blank(d->term)) {
        gls_diags_add(&b->diags, b->source, d->line, d->column, GLS_SEV_ERROR,
                      "glossary-missing-term", "concept '%s' has no term", bc->c.id);
    } else {
        gls_draft_form_t term = {d->term, GLS_FORM_TERM, d->term_flags, NULL, NULL, d->line,
                                 d->column};
        add_form(b, ci, &term);
    }
    for (size_t i = 0; i < d->form_count; i++)
        add_form(b, ci, &d->forms[i]);
    return ci;
}

uint32_t gls_builder_extend(gls_builder_t *b, const gls_draft_t *d)
{
    char *derived = d->id && *d->id ? NULL : derive_id(d->term ? d->term : "");
    const char *id = derived ? derived : d->id;
    uint32_t *ix = gls_strmap_get(&b->ids, id, strlen(id));
    if (!ix || b->concepts[*ix].removed) {
        gls_diags_add(&b->diags, b->source, d->line, d->column, GLS_SEV_INFO,
                      "glossary-extend-missing",
                      "'%s' extends a concept no earlier glossary has; added as a new one", id);
        free(derived);
        return gls_builder_add(b, d);
    }
    free(derived);
    uint32_t ci = *ix;
    for (size_t i = 0; i < d->form_count; i++)
        add_form(b, ci, &d->forms[i]);
    bconcept_t *bc = &b->concepts[ci];
    if (d->definition && *d->definition)
        bc->c.definition = gls_arena_strdup(b->arena, d->definition);
    if (d->see_also_count) {
        size_t n = bc->c.see_also_count + d->see_also_count;
        const char **all = gls_arena_alloc(b->arena, n * sizeof *all);
        memcpy(all, bc->c.see_also, bc->c.see_also_count * sizeof *all);
        for (size_t i = 0; i < d->see_also_count; i++)
            all[bc->c.see_also_count + i] = gls_arena_strdup(b->arena, d->see_also[i]);
        bc->c.see_also = all;
        bc->c.see_also_count = (uint32_t)n;
    }
    if (d->value_count) {
        bc->c.values = gls_arena_alloc(b->arena, d->value_count * sizeof *bc->c.values);
        memcpy(bc->c.values, d->values, d->value_count * sizeof *bc->c.values);
        bc->c.value_count = (uint32_t)d->value_count;
    }
    if (d->cadence)
        bc->c.cadence = gls_arena_strdup(b->arena, d->cadence);
    if (d->contradicting_count) {
        bc->c.contradicting = copy_strings(b->arena, d->contradicting, d->contradicting_count);
        bc->c.contradicting_count = (uint32_t)d->contradicting_count;
    }
    return ci;
}

int gls_builder_remove(gls_builder_t *b, const char *id, const char *term)
{
    char *derived = id ? NULL : derive_id(term ? term : "");
    const char *key = derived ? derived : id;
    uint32_t *ix = gls_strmap_get(&b->ids, key, strlen(key));
    free(derived);
    if (!ix || b->concepts[*ix].removed)
        return -1;
    bconcept_t *old = &b->concepts[*ix];
    old->removed = 1;
    for (uint32_t k = 0; k < old->form_count; k++) {
        gls_buf_t fk;
        gls_buf_init(&fk);
        form_key(old->forms[k].text, &fk);
        uint32_t *o = gls_strmap_get(&b->keys, fk.data, fk.len);
        if (o && *o == *ix)
            *o = UINT32_MAX;
        gls_buf_close(&fk);
    }
    return 0;
}

/* Characters (not bytes) in s[0, n), for columns. */
static uint32_t utf8_chars(const char *s, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

static int add_pattern_from(gls_builder_t *b, const char *path, const char *source,
                            const gls_draft_pattern_t *d)
{
    size_t len = d->regex_len ? d->regex_len : strlen(d->regex);
    char err[256];
    size_t at = 0;
    /* EXACT_CASE finds the words ignoring case and checks them as written. */
    unsigned find_flags = d->flags | (d->kind == GLS_PATTERN_EXACT_CASE ? GLS_REGEX_CASELESS : 0);
    gls_regex_t *found = gls_regex_compile(d->regex, len, find_flags, err, sizeof err, &at);
    gls_regex_t *exact = NULL;
    if (found && d->kind == GLS_PATTERN_EXACT_CASE)
        exact = gls_regex_compile(d->regex, len, d->flags, err, sizeof err, &at);
    if (!found || (d->kind == GLS_PATTERN_EXACT_CASE && !exact)) {
        gls_regex_free(found);
        gls_diags_add(&b->diags, path, d->line, d->line ? d->column + utf8_chars(d->regex, at) : 0,
                      GLS_SEV_ERROR, "glossary-bad-pattern",
                      "the regular expression \"%.*s\" does not compile: %s", (int)len, d->regex,
                      err);
        return -1;
    }
    if (b->pattern_count == b->pattern_cap) {
        b->pattern_cap = b->pattern_cap ? 2 * b->pattern_cap : 8;
        b->patterns = gls_xrealloc(b->patterns, b->pattern_cap * sizeof *b->patterns);
    }
    b->patterns[b->pattern_count++] = (gls_pattern_t){
        .regex = gls_arena_strndup(b->arena, d->regex, len),
        .compiled = found,
        .exact = exact,
        .kind = (uint8_t)d->kind,
        .flags = (uint8_t)d->flags,
        .use = gls_arena_strdup(b->arena, d->use),
        .why = gls_arena_strdup(b->arena, d->why),
        .source = gls_arena_strdup(b->arena, source),
        .line = d->line,
        .column = d->column,
        .empty_group = (uint8_t)(d->empty_group <= 9 ? d->empty_group : 0),
        .capitalize = (uint8_t)(d->capitalize != 0)};
    return 0;
}

/* Up to 64 bytes ASCII-lowercased into 'out'; 0 when longer (no word
 * that long is an acronym). */
static size_t lower_word(const char *word, size_t len, char out[64])
{
    if (len == 0 || len > 64)
        return 0;
    for (size_t i = 0; i < len; i++)
        out[i] = (word[i] >= 'A' && word[i] <= 'Z') ? (char)(word[i] + 32) : word[i];
    return len;
}

void gls_builder_add_dependency(gls_builder_t *b, const char *path)
{
    gls_strmap_put(&b->dependencies, path, strlen(path), 1);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void gls_builder_add_known_word(gls_builder_t *b, const char *word, size_t len)
{
    char low[64];
    size_t n = lower_word(word, len, low);
    if (n)
        gls_strmap_put(&b->known_words, low, n, 1);
}

int gls_glossary_knows_word(const gls_glossary_t *g, const char *word, size_t len)
{
    char low[64];
    size_t n = g->known_words.count ? lower_word(word, len, low) : 0;
    return n && gls_strmap_get(&g->known_words, low, n) != NULL;
}

int gls_builder_add_pattern(gls_builder_t *b, const char *path, const gls_draft_pattern_t *d)
{
    return add_pattern_from(b, path, b->source, d);
}

void gls_builder_add_glossary(gls_builder_t *b, const gls_glossary_t *g)
{
    for (size_t i = 0; i < g->known_words.cap; i++)
        if (g->known_words.slots && g->known_words.slots[i].key)
            gls_strmap_put(&b->known_words, g->known_words.slots[i].key,
                           g->known_words.slots[i].len, 1);
    for (uint32_t i = 0; i < g->dependency_count; i++)
        gls_builder_add_dependency(b, g->dependencies[i]);
    /* Patterns are compiled again: the compiled code belongs to 'g'. */
    for (uint32_t i = 0; i < g->pattern_count; i++) {
        const gls_pattern_t *p = &g->patterns[i];
        gls_draft_pattern_t d = {p->regex, 0, (gls_pattern_kind_t)p->kind, p->flags,
                                 p->use, p->why, p->line, p->column, p->empty_group,
                                 p->capitalize};
        add_pattern_from(b, p->source, p->source, &d);
    }
    for (uint32_t ci = 0; ci < g->concept_count; ci++) {
        const gls_concept_t *c = &g->concepts[ci];
        gls_draft_form_t *forms = gls_xcalloc(c->form_count + 1, sizeof *forms);
        size_t n = 0;
        unsigned term_flags = 0;
        for (uint32_t k = 0; k < c->form_count; k++) {
            const gls_form_t *f = &g->forms[c->first_form + k];
            if (f->kind == GLS_FORM_TERM) {
                /* Only what a loader can ask for; the shape is inferred again. */
                if ((f->flags & GLS_FORM_CASE_SENSITIVE) && !(f->flags & GLS_FORM_ACRONYM))
                    term_flags = GLS_FORM_CASE_SENSITIVE;
                continue;
            }
            forms[n++] = (gls_draft_form_t){f->text, (gls_form_kind_t)f->kind, f->flags,
                                            f->use, f->why, f->line, f->column};
        }
        gls_draft_t d = {c->id, c->term, c->definition, c->line, c->column, forms, n,
                         c->see_also, c->see_also_count, c->values, c->value_count,
                         c->cadence, c->contradicting, c->contradicting_count, term_flags};
        /* Concepts of an earlier source keep their own source name. */
        const char *saved = b->source;
        b->source = gls_arena_strdup(b->arena, c->source);
        gls_builder_add(b, &d);
        b->source = saved;
        free(forms);
    }
}

static int truncated(const char *def)
{
    size_t n = strlen(def);
    while (n && isspace((unsigned char)def[n - 1]))
        n--;
    return (n >= 3 && memcmp(def + n - 3, "...", 3) == 0) ||
           (n >= 3 && memcmp(def + n - 3, "\xe2\x80\xa6", 3) == 0);
}

static void lint(gls_builder_t *b, gls_glossary_t *g)
{
    gls_strmap_t defs;
    gls_strmap_init(&defs);
    for (uint32_t ci = 0; ci < g->concept_count; ci++) {
        gls_concept_t *c = &g->concepts[ci];
        if (blank(c->definition)) {
            gls_diags_add(&b->diags, c->source, c->line, c->column, GLS_SEV_WARNING,
                          "glossary-empty-definition", "concept '%s' has no definition", c->id);
        } else if (truncated(c->definition)) {
            gls_diags_add(&b->diags, c->source, c->line, c->column, GLS_SEV_WARNING,
                          "glossary-truncated-definition",
                          "the definition of '%s' ends in '...': it looks truncated", c->id);
        } else {
            size_t len = strlen(c->definition);
            uint32_t *same = gls_strmap_get(&defs, c->definition, len);
            if (same)
                gls_diags_add(&b->diags, c->source, c->line, c->column, GLS_SEV_WARNING,
                              "glossary-copied-definition",
                              "the definition of '%s' is word for word that of '%s'", c->id,
                              g->concepts[*same].id);
            else
                gls_strmap_put(&defs, c->definition, len, ci);
        }
        c->see_also_resolved =
            c->see_also_count ? gls_arena_alloc(g->arena, c->see_also_count * sizeof(uint32_t))
                              : NULL;
        for (uint32_t k = 0; k < c->see_also_count; k++) {
            long target = gls_glossary_find_id(g, c->see_also[k]);
            if (target < 0) {
                /* Also accept a term as written ("see also: Churn"). */
                for (uint32_t f = 0; f < g->form_count && target < 0; f++)
                    if (g->forms[f].kind != GLS_FORM_AVOID &&
                        strcasecmp(g->forms[f].text, c->see_also[k]) == 0)
                        target = g->forms[f].concept;
            }
            c->see_also_resolved[k] = target < 0 ? UINT32_MAX : (uint32_t)target;
            if (target < 0)
                gls_diags_add(&b->diags, c->source, c->line, c->column, GLS_SEV_WARNING,
                              "glossary-dangling-see-also",
                              "concept '%s' refers to '%s', which is not in the glossary", c->id,
                              c->see_also[k]);
        }
        for (uint32_t k = 0; k < c->form_count; k++) {
            const gls_form_t *f = &g->forms[c->first_form + k];
            if (f->kind == GLS_FORM_AVOID && f->use && !blank(f->use)) {
                int found = 0;
                for (uint32_t m = 0; m < c->form_count && !found; m++) {
                    const gls_form_t *o = &g->forms[c->first_form + m];
                    found = o->kind != GLS_FORM_AVOID && strcasecmp(o->text, f->use) == 0;
                }
                if (!found)
                    gls_diags_add(&b->diags, c->source, f->line, f->column, GLS_SEV_INFO,
                                  "glossary-avoid-use",
                                  "'%s' says to use '%s', which is not a form of '%s'", f->text,
                                  f->use, c->id);
            }
        }
    }
    gls_strmap_close(&defs);
}

/* ids are looked up through a sorted table built at freeze time. */
typedef struct id_entry {
    const char *id;
    uint32_t concept;
} id_entry_t;

static int id_cmp(const void *a, const void *b)
{
    return strcmp(((const id_entry_t *)a)->id, ((const id_entry_t *)b)->id);
}

static id_entry_t *ids_of(const gls_glossary_t *g)
{
    /* Stored right after the concepts array in the arena (see freeze). */
    return (id_entry_t *)(void *)(g->concepts + g->concept_count);
}

long gls_glossary_find_id(const gls_glossary_t *g, const char *id)
{
    id_entry_t key = {id, 0};
    id_entry_t *e = bsearch(&key, ids_of(g), g->concept_count, sizeof key, id_cmp);
    return e ? (long)e->concept : -1;
}

uint32_t gls_glossary_id_order(const gls_glossary_t *g, uint32_t i)
{
    return ids_of(g)[i].concept;
}

gls_concept_t *gls_glossary_alloc_concepts(gls_glossary_t *g, uint32_t count)
{
    g->concepts = gls_arena_alloc(g->arena, count * sizeof(gls_concept_t) +
                                                count * sizeof(id_entry_t) + 1);
    g->concept_count = count;
    return g->concepts;
}

int gls_glossary_set_id_order(gls_glossary_t *g, const uint32_t *order)
{
    id_entry_t *ids = ids_of(g);
    for (uint32_t i = 0; i < g->concept_count; i++) {
        if (order[i] >= g->concept_count || !g->concepts[order[i]].id)
            return -1;
        ids[i] = (id_entry_t){g->concepts[order[i]].id, order[i]};
        /* Strictly ascending: bsearch finds every id, and no id twice. */
        if (i > 0 && strcmp(ids[i - 1].id, ids[i].id) >= 0)
            return -1;
    }
    return 0;
}

gls_glossary_t *gls_builder_freeze(gls_builder_t *b)
{
    gls_glossary_t *g = gls_xcalloc(1, sizeof *g);
    g->arena = b->arena;
    b->arena = NULL;
    uint32_t live = 0, nforms = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        if (b->concepts[i].removed)
            continue;
        live++;
        nforms += b->concepts[i].form_count;
    }
    /* Concepts, then the sorted id table, in one arena block. */
    g->concepts = gls_arena_alloc(g->arena, live * sizeof(gls_concept_t) +
                                                live * sizeof(id_entry_t) + 1);
    g->forms = gls_arena_alloc(g->arena, (nforms + 1) * sizeof(gls_form_t));
    uint32_t ci = 0, fi = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        bconcept_t *bc = &b->concepts[i];
        if (bc->removed)
            continue;
        gls_concept_t *c = &g->concepts[ci];
        *c = bc->c;
        c->first_form = fi;
        c->form_count = bc->form_count;
        for (uint32_t k = 0; k < bc->form_count; k++) {
            g->forms[fi] = bc->forms[k];
            g->forms[fi].concept = ci;
            fi++;
        }
        ci++;
    }
    g->concept_count = live;
    g->form_count = fi;
    id_entry_t *ids = ids_of(g);
    for (uint32_t i = 0; i < live; i++)
        ids[i] = (id_entry_t){g->concepts[i].id, i};
    if (live > 1)
        qsort(ids, live, sizeof *ids, id_cmp);
    g->patterns = gls_arena_alloc(g->arena, (b->pattern_count + 1) * sizeof *g->patterns);
    if (b->pattern_count)
        memcpy(g->patterns, b->patterns, b->pattern_count * sizeof *g->patterns);
    g->pattern_count = b->pattern_count;
    b->pattern_count = 0; /* the glossary owns the compiled code now */
    g->known_words = b->known_words;
    gls_strmap_init(&b->known_words);
    g->dependencies = gls_arena_alloc(g->arena, (b->dependencies.count + 1) * sizeof(char *));
    for (size_t i = 0; i < b->dependencies.cap; i++)
        if (b->dependencies.slots && b->dependencies.slots[i].key)
            g->dependencies[g->dependency_count++] =
                gls_arena_strndup(g->arena, b->dependencies.slots[i].key,
                                  b->dependencies.slots[i].len);
    if (g->dependency_count > 1)
        qsort(g->dependencies, g->dependency_count, sizeof *g->dependencies, str_cmp);
    lint(b, g);
    g->index = gls_index_build(g);
    g->diags = b->diags;
    gls_diags_init(&b->diags);
    atomic_init(&g->refcount, 1);
    gls_builder_free(b);
    return g;
}

gls_glossary_t *gls_glossary_ref(gls_glossary_t *g)
{
    if (g)
        atomic_fetch_add(&g->refcount, 1);
    return g;
}

void gls_glossary_unref(gls_glossary_t *g)
{
    if (!g || atomic_fetch_sub(&g->refcount, 1) != 1)
        return;
    gls_index_free(g->index);
    for (uint32_t i = 0; i < g->pattern_count; i++) {
        gls_regex_free(g->patterns[i].compiled);
        gls_regex_free(g->patterns[i].exact);
    }
    gls_strmap_close(&g->known_words);
    gls_diags_close(&g->diags);
    gls_arena_free(g->arena);
    if (g->cache_map)
        munmap(g->cache_map, g->cache_map_len);
    free(g);
}

const gls_form_t *gls_glossary_first_form(const gls_glossary_t *g, uint32_t concept,
                                          gls_form_kind_t kind)
{
    const gls_concept_t *c = &g->concepts[concept];
    for (uint32_t k = 0; k < c->form_count; k++)
        if (g->forms[c->first_form + k].kind == kind)
            return &g->forms[c->first_form + k];
    return NULL;
}
