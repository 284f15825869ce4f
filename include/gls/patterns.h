/* patterns.h: finding an imported vocabulary's regular expressions
 * (glossary.h gls_pattern_t) in the prose of a document. Each block's
 * segments are joined into one string first, white space collapsed to
 * one space, so that a pattern matches across line breaks inside a
 * paragraph, never across a code span or from one block into the next,
 * exactly like glossary forms. */
#ifndef GLS_PATTERNS_H
#define GLS_PATTERNS_H

#include <stddef.h>
#include <stdint.h>

#include "gls/glossary.h"
#include "gls/prose.h"
#include "gls/util.h"

/* One place where the prose breaks a pattern's rule. */
typedef struct gls_pattern_hit {
    uint32_t start, end; /* bytes of the text (first, like gls_match_t) */
    uint32_t pattern;    /* index in glossary->patterns */
} gls_pattern_hit_t;

typedef struct gls_pattern_hits {
    gls_pattern_hit_t *items;
    size_t count, cap;
} gls_pattern_hits_t;

/* Reusable buffers for gls_patterns_find. */
typedef struct gls_pattern_scratch {
    gls_buf_t joined;
    gls_buf_t expanded; /* a replacement, to compare with the words */
    uint32_t *map; /* per byte of 'joined': its offset in the text */
    size_t map_cap;
} gls_pattern_scratch_t;

void gls_pattern_scratch_init(gls_pattern_scratch_t *sc);
void gls_pattern_scratch_close(gls_pattern_scratch_t *sc);

/* Appends to 'out', sorted by start, the hits of every pattern of 'g' in
 * block 'block' of 'p': for GLS_PATTERN_AVOID every match that its
 * replacement would change, for
 * GLS_PATTERN_EXACT_CASE every match found ignoring case that is not
 * written as the pattern says. A pattern that gives up on a block (its
 * backtracking limit) finds nothing there. */
void gls_patterns_find(const gls_glossary_t *g, const gls_prose_t *p, size_t block,
                       const char *text, gls_pattern_scratch_t *sc, gls_pattern_hits_t *out);

#endif
