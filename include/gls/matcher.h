/* matcher.h: finds every glossary form in a token stream in one pass.
 *
 * The index is a token trie: each edge is (parent node, separator class,
 * case-folded token) in one hash table, so a lookup costs the same for 300
 * or 100,000 terms, and matching is linear in the text (each start token
 * walks at most the depth of the trie, the longest form in tokens).
 * Leftmost-longest: at each token the longest form wins and matching
 * resumes after it. Per-form case rules, plurals, possessives and
 * hyphen/space variants are handled at the last token of a form. Pure:
 * cannot fail. */
#ifndef GLS_MATCHER_H
#define GLS_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "gls/binio.h"
#include "gls/glossary.h"
#include "gls/text.h"

enum {
    GLS_MATCH_PLURAL = 1 << 0,        /* QBRs, playbooks, companies */
    GLS_MATCH_POSSESSIVE = 1 << 1,    /* CSM's, customers' */
    GLS_MATCH_CASE_MISMATCH = 1 << 2, /* a case-sensitive form in another case: Nps */
    GLS_MATCH_HYPHENATED = 1 << 3,    /* written with hyphens where the form has spaces */
    GLS_MATCH_SPACED = 1 << 4         /* written with spaces where the form has hyphens */
};

typedef struct gls_match {
    uint32_t start, end; /* bytes of the text */
    uint32_t form;       /* index into glossary->forms */
    uint32_t concept;
    uint16_t flags;
    uint16_t tokens;     /* number of tokens matched */
} gls_match_t;

typedef struct gls_matches {
    gls_match_t *items;
    size_t count, cap;
} gls_matches_t;

void gls_matches_init(gls_matches_t *m);
void gls_matches_close(gls_matches_t *m);
void gls_matches_push(gls_matches_t *m, const gls_match_t *item);

/* Builds the index of 'g' (called by gls_builder_freeze). Returns a new
 * index owned by the glossary. */
gls_index_t *gls_index_build(const gls_glossary_t *g);
void gls_index_free(gls_index_t *idx);
/* The index of a glossary of 'form_count' forms as bytes, for the
 * glossary cache; only the binary that wrote them reads them back
 * (gls_index_read). */
void gls_index_write(const gls_index_t *idx, gls_buf_t *out, uint32_t form_count);
/* Reads an index written by gls_index_write for a glossary of
 * 'form_count' forms, from a buffer that starts at 'start' (8-byte
 * aligned, as the writer's buffer was). Returns a new index whose arrays
 * borrow the buffer, which must outlive it; or NULL when the bytes are
 * short or inconsistent: every offset and count is checked, so damaged
 * bytes cannot make matching read out of bounds or probe forever. */
gls_index_t *gls_index_read(gls_reader_t *r, const void *start, uint32_t form_count);
/* Memory held by the index, in bytes. */
size_t gls_index_memory(const gls_index_t *idx);

/* Appends to 'out' every match in tokens[0, count) of 'text'. */
void gls_match_tokens(const gls_glossary_t *g, const char *text, const gls_token_t *tokens,
                      size_t count, gls_matches_t *out);

/* Buffers the matcher reuses from one call to the next (folded tokens and
 * their hashes), so matching block after block allocates nothing once
 * they have grown. One per thread; closed by the caller. */
typedef struct gls_match_scratch {
    char *folded;
    size_t folded_cap;
    uint32_t *off;
    uint64_t *hash;
    size_t token_cap;
} gls_match_scratch_t;

void gls_match_scratch_init(gls_match_scratch_t *sc);
void gls_match_scratch_close(gls_match_scratch_t *sc);
/* gls_match_tokens with the caller's scratch buffers. */
void gls_match_tokens_scratch(const gls_glossary_t *g, const char *text,
                              const gls_token_t *tokens, size_t count, gls_match_scratch_t *sc,
                              gls_matches_t *out);

/* Convenience: tokenizes text[start, end) as one block and matches it. */
void gls_match_text(const gls_glossary_t *g, const char *text, uint32_t start, uint32_t end,
                    gls_matches_t *out);

/* Finds the forms whose folded text starts with the folded 'prefix'
 * (completion). Calls 'cb' for each, at most 'limit' times; stops early
 * when 'cb' returns non-zero. */
typedef int (*gls_prefix_cb)(void *ud, uint32_t form);
void gls_index_prefix(const gls_glossary_t *g, const char *prefix, size_t len, size_t limit,
                      gls_prefix_cb cb, void *ud);

#endif
