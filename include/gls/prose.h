/* prose.h: what counts as prose in a document. Markdown is parsed with
 * tree-sitter (block grammar, then the inline grammar over the inline
 * ranges); the queries in grammars/prose-*.scm say what is prose. Plain
 * text is all prose (URLs and e-mail addresses are skipped by the
 * tokenizer). The result is a list of blocks, each a list of byte
 * segments; terms are matched within a block, never across blocks. */
#ifndef GLS_PROSE_H
#define GLS_PROSE_H

#include <stddef.h>
#include <stdint.h>

#include "gls/document.h"
#include "gls/text.h"

typedef enum gls_block_kind {
    GLS_BLOCK_PARAGRAPH,
    GLS_BLOCK_HEADING,
    GLS_BLOCK_TABLE_CELL
} gls_block_kind_t;

typedef struct gls_segment {
    uint32_t start, end;
    uint8_t sep;  /* gls_sep_t before this segment: SPACE joins, HARD breaks */
} gls_segment_t;

typedef struct gls_block {
    uint32_t start, end;           /* the block's whole byte range */
    uint32_t seg_first, seg_count; /* its segments */
    uint8_t kind;                  /* gls_block_kind_t */
    uint8_t level;                 /* heading level, 0 otherwise */
} gls_block_t;

typedef struct gls_prose {
    gls_block_t *blocks;
    size_t block_count, block_cap;
    gls_segment_t *segs;
    size_t seg_count, seg_cap;
} gls_prose_t;

typedef enum gls_language {
    GLS_LANGUAGE_MARKDOWN,
    GLS_LANGUAGE_TEXT
} gls_language_t;

/* Chooses how to read a document: Markdown for languageId "markdown" (and
 * its variants) or a Markdown file extension; plain text otherwise. */
gls_language_t gls_language_of(const char *language_id, const char *uri_or_path);

void gls_prose_init(gls_prose_t *p);
void gls_prose_close(gls_prose_t *p);
void gls_prose_clear(gls_prose_t *p);

/* Extracts the prose of text[0, len) into 'p' (cleared first). Cannot
 * fail: bad Markdown yields whatever prose tree-sitter finds. */
void gls_prose_extract(gls_prose_t *p, const char *text, uint32_t len, gls_language_t lang);

/* A parser that keeps its tree between calls, for incremental updates.
 * One per document; not shared between threads. */
typedef struct gls_prose_parser gls_prose_parser_t;

gls_prose_parser_t *gls_prose_parser_new(void);
void gls_prose_parser_free(gls_prose_parser_t *pp);
/* Counters, for tests and benchmarks. */
typedef struct gls_prose_stats {
    unsigned long chunks_parsed; /* chunks given to tree-sitter */
    unsigned long chunks_fast;   /* plain paragraphs that needed no parse */
    unsigned long inlines_parsed; /* inline ranges given to tree-sitter */
    unsigned long inlines_fast;   /* inline ranges with markup read without it */
    unsigned long trees_reused;  /* re-parses given an old tree (ts_tree_edit) */
    unsigned long parses_stopped; /* tree-sitter parses stopped by the memory budget */
    size_t most_asked_per_parse;  /* the most bytes one tree-sitter parse asked for */
} gls_prose_stats_t;

const gls_prose_stats_t *gls_prose_parser_stats(const gls_prose_parser_t *pp);
/* Plain paragraphs skip the block parse, and inline ranges with only
 * simple markup (plain links, code spans) the inline parse, unless this is
 * turned off (tests compare both ways). */
void gls_prose_parser_set_fast_path(gls_prose_parser_t *pp, int enabled);
/* Documents are parsed in chunks unless this is turned off (tests compare
 * chunked parsing with parsing the document whole). */
void gls_prose_parser_set_chunking(gls_prose_parser_t *pp, int enabled);
/* Block trees are read by a walk that does what grammars/prose-block.scm
 * says; with this on, by running that query instead (tests compare). */
void gls_prose_parser_set_block_query(gls_prose_parser_t *pp, int enabled);
/* Parsed chunks of at least 'bytes' keep their tree for the next edit
 * (default 2048; tests lower it to exercise tree reuse everywhere). */
void gls_prose_parser_set_keep_tree_bytes(gls_prose_parser_t *pp, uint32_t bytes);
/* Like gls_prose_extract, keeping what an incremental update needs. */
void gls_prose_parse(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                     gls_language_t lang);

/* What an incremental update changed, run by run from the start of the
 * document: in each, blocks [first, first + removed) of the list as the
 * runs before left it were replaced by blocks [first, first + added), and
 * the records (matches) of the blocks after it move by 'delta' bytes more
 * than those before it. Block offsets in 'p' are already final. */
typedef struct gls_prose_splice {
    size_t first, removed, added;
    int64_t delta;
} gls_prose_splice_t;

typedef struct gls_prose_splices {
    gls_prose_splice_t *items;
    size_t count, cap;
} gls_prose_splices_t;

/* Brings 'p' up to date after 'edits' (already applied to 'text', in
 * order): re-parses only the chunks the edits touched (a chunk is a run of
 * blocks that parses alone as it does in the whole document), and shifts
 * the rest; edits far apart re-parse apart, not the whole stretch between
 * them. 'out' is reset and filled (the caller frees out->items). Returns 0,
 * or -1 when there is no previous Markdown parse to update: then call
 * gls_prose_parse. */
int gls_prose_reparse(gls_prose_parser_t *pp, gls_prose_t *p, const char *text, uint32_t len,
                      const gls_text_edit_t *edits, size_t n, gls_prose_splices_t *out);

/* Tokenizes one block's segments into 'out' (appending). */
void gls_prose_tokenize_block(const gls_prose_t *p, size_t block, const char *text,
                              gls_tokens_t *out);

#endif
