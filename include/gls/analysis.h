/* analysis.h: one document analysed against one glossary: its prose
 * blocks, and every glossary form matched in them, in document order.
 * Pure data, no LSP, no JSON; shared by the server and the check command. */
#ifndef GLS_ANALYSIS_H
#define GLS_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "gls/glossary.h"
#include "gls/matcher.h"
#include "gls/patterns.h"
#include "gls/prose.h"

/* An acronym-shaped word of the prose (gls_acronym_shape) with what the
 * tokens around it say, recorded while the blocks are tokenized for
 * matching so that rules need not tokenize again. */
enum {
    GLS_CAPS_PREV_CAPS = 1 << 0,    /* the token before (space-joined) is acronym-shaped too */
    GLS_CAPS_NEXT_CAPS = 1 << 1,    /* so is the token after */
    GLS_CAPS_NEXT_NAME = 1 << 2,    /* a capitalized word follows ("NICE Systems") */
    GLS_CAPS_ALL_CAPS_BLOCK = 1 << 3 /* no token of its block has a lowercase letter */
};

typedef struct gls_caps_word {
    uint32_t start, end; /* bytes of the text (first, like gls_match_t: see analysis.c) */
    uint32_t flags;
} gls_caps_word_t;

typedef struct gls_caps_words {
    gls_caps_word_t *items;
    size_t count, cap;
} gls_caps_words_t;

typedef struct gls_analysis {
    gls_glossary_t *glossary;   /* a reference held by the analysis */
    gls_language_t language;
    gls_prose_t prose;
    gls_matches_t matches;      /* sorted by start */
    uint32_t *match_block;      /* per match: its block index */
    gls_caps_words_t caps;      /* acronym-shaped words, sorted by start */
    uint32_t *caps_block;       /* per caps word: its block index */
    gls_pattern_hits_t hits;    /* the glossary's regex patterns broken, sorted by start */
    uint32_t *hit_block;        /* per hit: its block index */
    gls_prose_parser_t *parser; /* kept for incremental updates, or NULL */
    /* Counters, for tests and benchmarks. */
    unsigned long full_runs, incremental_runs;
    size_t last_blocks_rematched;
} gls_analysis_t;

void gls_analysis_init(gls_analysis_t *a);
void gls_analysis_close(gls_analysis_t *a);

/* Analyses text[0, len) with 'g' (a reference is taken). */
void gls_analysis_run(gls_analysis_t *a, gls_glossary_t *g, const char *text, uint32_t len,
                      gls_language_t lang);

/* Brings the analysis up to date after 'edits' (already applied to
 * 'text', in order). Re-parses incrementally and re-matches only the
 * blocks around the edits when it can (same glossary and language, a
 * previous run, a Markdown tree); otherwise analyses from scratch. 'full'
 * forces that. */
void gls_analysis_update(gls_analysis_t *a, gls_glossary_t *g, const char *text, uint32_t len,
                         gls_language_t lang, const gls_text_edit_t *edits, size_t n, int full);

/* Index of the match containing byte 'offset' (start <= offset <= end, so
 * a cursor just after a term still finds it), or -1. */
long gls_analysis_match_at(const gls_analysis_t *a, uint32_t offset);

#endif
