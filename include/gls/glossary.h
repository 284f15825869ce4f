/* glossary.h: the term model. A glossary is a set of concepts, each with
 * its forms (preferred term, abbreviations, aliases, terms to avoid), a
 * definition, related concepts and optional facts for misuse checks. Built
 * once by the loaders through the builder calls below, then frozen: a
 * frozen glossary is immutable and shared read-only (by reference count)
 * between the loop and worker threads, so lookups need no locks. */
#ifndef GLS_GLOSSARY_H
#define GLS_GLOSSARY_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "gls/diag.h"
#include "gls/strmap.h"

typedef enum gls_form_kind {
    GLS_FORM_TERM,   /* the preferred full form */
    GLS_FORM_ABBREV, /* an abbreviation or acronym of the preferred term */
    GLS_FORM_ALIAS,  /* an admitted synonym */
    GLS_FORM_AVOID   /* deprecated/superseded: write 'use' instead */
} gls_form_kind_t;

enum {
    GLS_FORM_CASE_SENSITIVE = 1 << 0, /* matches only in this exact case (acronyms) */
    GLS_FORM_ORDINARY_WORD = 1 << 1,  /* lowercased, it is an ordinary word (MAP, SOW) */
    GLS_FORM_WELL_KNOWN = 1 << 2,     /* needs no expansion (API, CEO) */
    GLS_FORM_ACRONYM = 1 << 3,        /* shaped like an acronym: NRR, tNPS, DAU/MAU */
    /* An avoided spelling that differs from a form of the same concept
     * only in hyphens and spaces ("cross sell" for "cross-sell"): not in
     * the index; the rules compare it with how a match was written. */
    GLS_FORM_SPELLING = 1 << 4,
    /* Matches only as written: no plural or possessive reading, no other
     * hyphenation. Imported vocabularies (Vale, prh, textlint, cspell)
     * list each variant they mean, so their literals get this. */
    GLS_FORM_AS_WRITTEN = 1 << 5
};

typedef struct gls_form {
    const char *text;   /* as written in the glossary */
    const char *use;    /* GLS_FORM_AVOID: the form to write instead; else NULL */
    const char *why;    /* GLS_FORM_AVOID: optional reason; else NULL */
    uint32_t concept;
    uint8_t kind;       /* gls_form_kind_t */
    uint8_t flags;
    uint32_t line, column; /* where the form is declared (1-based; 0 unknown) */
} gls_form_t;

typedef enum gls_unit {
    GLS_UNIT_PERCENT,
    GLS_UNIT_SCORE,
    GLS_UNIT_CURRENCY,
    GLS_UNIT_COUNT,
    GLS_UNIT_RATIO,
    GLS_UNIT_DAYS,
    GLS_UNIT_MONTHS,
    GLS_UNIT_COUNT_OF_UNITS
} gls_unit_t;

/* One allowed way of stating a value: a unit and an optional range. */
typedef struct gls_value_range {
    uint8_t unit;       /* gls_unit_t */
    uint8_t has_min, has_max;
    double min, max;
} gls_value_range_t;

typedef struct gls_concept {
    const char *id;
    const char *term;        /* the preferred form's text */
    const char *definition;  /* Markdown; may be "" */
    const char *source;      /* file path or "built-in"; shared, not owned */
    uint32_t line, column;   /* where the concept starts in 'source' */
    uint32_t first_form, form_count; /* its forms: forms[first_form ..] */
    const char **see_also;   /* ids as written */
    uint32_t see_also_count;
    uint32_t *see_also_resolved; /* concept indexes, UINT32_MAX when unresolved */
    gls_value_range_t *values;
    uint32_t value_count;
    const char *cadence;     /* e.g. "quarterly", or NULL */
    const char **contradicting; /* qualifiers that contradict the term nearby */
    uint32_t contradicting_count;
} gls_concept_t;

typedef struct gls_index gls_index_t; /* the matcher's automaton, see matcher.h */
typedef struct gls_regex gls_regex_t; /* see regex.h */

/* A regular expression from an imported vocabulary (Vale, prh, textlint),
 * matched over the prose of each block by PCRE2. Literal entries of those
 * vocabularies become ordinary forms instead; only real patterns are here. */
typedef enum gls_pattern_kind {
    GLS_PATTERN_AVOID,     /* every match is flagged; 'use' (a template) replaces it */
    GLS_PATTERN_EXACT_CASE /* found ignoring case, flagged unless written as the pattern
                              says with case (Vale's accept.txt) */
} gls_pattern_kind_t;

typedef struct gls_pattern {
    const char *regex;     /* as written */
    gls_regex_t *compiled; /* AVOID: as written; EXACT_CASE: ignoring case */
    gls_regex_t *exact;    /* EXACT_CASE: as written; else NULL */
    uint8_t kind;          /* gls_pattern_kind_t */
    uint8_t flags;         /* GLS_REGEX_* it was compiled with */
    const char *use;       /* replacement template ($1, $&), or NULL: no fix */
    const char *why;       /* optional reason, or NULL */
    const char *source;    /* file it came from; shared, not owned */
    uint32_t line, column;
    uint8_t empty_group;   /* 1..9: a match counts only when this group is empty
                              (prh's regexpMustEmpty); 0: always */
    uint8_t capitalize;    /* the fix starts with a capital at a sentence start
                              where the words did (textlint does; prh does not) */
} gls_pattern_t;

typedef struct gls_glossary {
    gls_concept_t *concepts;
    uint32_t concept_count;
    gls_form_t *forms;       /* grouped by concept */
    uint32_t form_count;
    gls_index_t *index;      /* built by gls_glossary_freeze */
    gls_pattern_t *patterns; /* in the order added */
    uint32_t pattern_count;
    /* Words a vocabulary accepts without defining them (cspell's
     * "words"), ASCII-lowercased: acronyms among them need no definition. */
    gls_strmap_t known_words;
    /* Files the loaders read besides the sources named in the settings
     * (a cspell configuration's word lists, a prh file's imports): watched
     * for live reload like the sources. Absolute or as given; sorted. */
    const char **dependencies;
    uint32_t dependency_count;
    struct gls_arena *arena; /* owns every string above */
    void *cache_map;         /* read from a cache: the file, mapped read-only,
                                which strings and index arrays point into */
    size_t cache_map_len;
    _Atomic int refcount;
    /* Problems found while loading and freezing (conflicts, lint). */
    gls_diags_t diags;
} gls_glossary_t;

/* For the glossary cache (glossary_cache.c), which rebuilds a frozen
 * glossary without a builder: the concept at position i of the sorted id
 * table; room in g->arena for 'count' concepts and their id table (sets
 * concepts and concept_count); and the id table from such an order, which
 * must be strictly ascending by id (returns -1, table unusable, if not). */
uint32_t gls_glossary_id_order(const gls_glossary_t *g, uint32_t i);
gls_concept_t *gls_glossary_alloc_concepts(gls_glossary_t *g, uint32_t count);
int gls_glossary_set_id_order(gls_glossary_t *g, const uint32_t *order);

/* ---- building ---- */

typedef struct gls_builder gls_builder_t;

/* A draft concept, filled by a loader and handed to gls_builder_add. All
 * strings are borrowed for the duration of the call (copied). */
typedef struct gls_draft_form {
    const char *text;
    gls_form_kind_t kind;
    unsigned flags;      /* GLS_FORM_*; CASE_SENSITIVE and ACRONYM are also
                            inferred from the text's shape */
    const char *use, *why;
    uint32_t line, column;
} gls_draft_form_t;

typedef struct gls_draft {
    const char *id;          /* NULL: derived from the term */
    const char *term;
    const char *definition;
    uint32_t line, column;
    gls_draft_form_t *forms; /* abbreviations, aliases, avoid (not the term) */
    size_t form_count;
    const char **see_also;
    size_t see_also_count;
    gls_value_range_t *values;
    size_t value_count;
    const char *cadence;
    const char **contradicting;
    size_t contradicting_count;
    unsigned term_flags;     /* GLS_FORM_* for the term itself (CASE_SENSITIVE: a
                                vocabulary's exact spelling, "Gainsight") */
} gls_draft_t;

/* Returns a new builder. 'source' names the file ("built-in" for the
 * embedded glossary); it is copied. */
gls_builder_t *gls_builder_new(const char *source);
/* Sets the source name for the concepts added next (copied). */
void gls_builder_set_source(gls_builder_t *b, const char *source);
/* Adds a concept. A form already claimed by another concept is reported
 * as a conflict in the builder's diagnostics and not added again. Returns
 * the concept index. */
uint32_t gls_builder_add(gls_builder_t *b, const gls_draft_t *draft);
/* The builder's diagnostics (borrowed), for loaders to append to. */
gls_diags_t *gls_builder_diags(gls_builder_t *b);
/* Merges every concept of 'g' (a frozen glossary) into the builder, as
 * the base that later sources override: a later concept with the same id
 * replaces it. */
void gls_builder_add_glossary(gls_builder_t *b, const gls_glossary_t *g);
/* Adds the forms, see-also entries and (when given) the definition and
 * facts of 'draft' to the earlier concept with the same id (derived from
 * the term when 'id' is NULL); adds a new concept when there is none.
 * Returns the concept index. */
uint32_t gls_builder_extend(gls_builder_t *b, const gls_draft_t *draft);
/* Removes the concept with 'id' (or, when 'id' is NULL, the one whose
 * derived id comes from 'term') added by an earlier source; returns 0, or
 * -1 when there is none. */
int gls_builder_remove(gls_builder_t *b, const char *id, const char *term);
/* A pattern for gls_builder_add_pattern. Strings are borrowed (copied). */
typedef struct gls_draft_pattern {
    const char *regex;
    size_t regex_len;        /* 0: strlen(regex) */
    gls_pattern_kind_t kind;
    unsigned flags;          /* GLS_REGEX_* */
    const char *use, *why;
    uint32_t line, column;   /* where the regex text starts in the file */
    unsigned empty_group;    /* see gls_pattern_t */
    int capitalize;          /* see gls_pattern_t */
} gls_draft_pattern_t;

/* The concept (index) that already has a form with the key of 'text'
 * (folded, hyphens as spaces: the key under which forms are unique), or
 * -1: importers of word lists use it to leave known words alone. */
long gls_builder_find_form(gls_builder_t *b, const char *text);
/* A concept added so far (borrowed; valid until the next add), or NULL.
 * Its form list is not filled in until freeze. */
const gls_concept_t *gls_builder_concept(gls_builder_t *b, uint32_t index);

/* Records a file a loader read besides its own (copied). */
void gls_builder_add_dependency(gls_builder_t *b, const char *path);

/* Records a word the vocabulary accepts without a concept (copied). */
void gls_builder_add_known_word(gls_builder_t *b, const char *word, size_t len);
/* Whether 'word' was so recorded (ignoring ASCII case). */
int gls_glossary_knows_word(const gls_glossary_t *g, const char *word, size_t len);

/* Compiles and adds a pattern. A pattern that does not compile is
 * reported at its line and the column of the problem (code
 * "glossary-bad-pattern", attributed to 'path') and not added; returns
 * 0, or -1 then. */
int gls_builder_add_pattern(gls_builder_t *b, const char *path, const gls_draft_pattern_t *p);

/* Resolves see-also references, runs the glossary lint, builds the match
 * index and returns the frozen glossary (refcount 1). Frees the builder. */
gls_glossary_t *gls_builder_freeze(gls_builder_t *b);
/* Frees a builder without freezing. */
void gls_builder_free(gls_builder_t *b);

/* ---- using ---- */

gls_glossary_t *gls_glossary_ref(gls_glossary_t *g);
/* Drops a reference; frees at zero. NULL is allowed. */
void gls_glossary_unref(gls_glossary_t *g);

/* Looks a concept up by id; returns its index or -1. */
long gls_glossary_find_id(const gls_glossary_t *g, const char *id);
/* Returns the concept's first form of 'kind', or NULL. */
const gls_form_t *gls_glossary_first_form(const gls_glossary_t *g, uint32_t concept,
                                          gls_form_kind_t kind);

const char *gls_unit_name(gls_unit_t unit);
/* Returns the unit for a name, or -1. */
int gls_unit_from_name(const char *name);

#endif
