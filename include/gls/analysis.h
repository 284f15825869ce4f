/* analysis.h: one document analysed against one glossary: its prose
 * blocks, and every glossary form matched in them, in document order.
 * Pure data, no LSP, no JSON; shared by the server and the check command. */
#ifndef GLS_ANALYSIS_H
#define GLS_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "gls/glossary.h"
#include "gls/matcher.h"
#include "gls/prose.h"

typedef struct gls_analysis {
    gls_glossary_t *glossary;   /* a reference held by the analysis */
    gls_language_t language;
    gls_prose_t prose;
    gls_matches_t matches;      /* sorted by start */
    uint32_t *match_block;      /* per match: its block index */
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
