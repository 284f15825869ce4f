/* document.h: the open documents: text, version, language, line table, and
 * full or incremental edits. Byte offsets only; positions are converted by
 * the caller with position.h. */
#ifndef GLS_DOCUMENT_H
#define GLS_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include "gls/position.h"

/* One change of a document's bytes, with the row/column (in bytes) of its
 * ends, as incremental parsers want it. */
typedef struct gls_text_edit {
    uint32_t start, old_end, new_end;
    uint32_t start_row, start_col, old_end_row, old_end_col, new_end_row, new_end_col;
} gls_text_edit_t;

#define GLS_EDIT_LOG_MAX 256

typedef struct gls_document {
    char *uri;          /* owned */
    char *language_id;  /* owned; as the client sent it */
    int64_t version;
    char *text;         /* owned; always NUL-terminated at text[len] */
    size_t len;
    size_t cap;
    gls_lines_t lines;
    unsigned long edits; /* changes (full or incremental) since open; caches key on it */
    /* Edits since the last gls_document_clear_edit_log, for incremental
     * re-analysis. 'edit_log_full' is set when they cannot be replayed
     * (a full replacement, too many edits): analyse from scratch. */
    gls_text_edit_t edit_log[GLS_EDIT_LOG_MAX];
    size_t edit_log_count;
    int edit_log_full;
    /* Per-document state of a higher layer (the analysis), owned through
     * 'attachment_free', which gls_document_free calls. */
    void *attachment;
    void (*attachment_free)(void *attachment);
} gls_document_t;

/* Creates a document holding a copy of 'text'. Returns a new document the
 * caller frees with gls_document_free. */
gls_document_t *gls_document_new(const char *uri, const char *language_id, int64_t version,
                                 const char *text, size_t len);
void gls_document_free(gls_document_t *doc);

/* Replaces bytes [start, end) with 'text' ('len' bytes). 'start' and 'end'
 * are clamped to the document and swapped if reversed. */
void gls_document_replace(gls_document_t *doc, size_t start, size_t end, const char *text,
                          size_t len);

/* Replaces the LSP range with 'text'; positions are clamped as
 * gls_position_to_offset describes. */
void gls_document_edit(gls_document_t *doc, uint32_t start_line, uint32_t start_char,
                       uint32_t end_line, uint32_t end_char, gls_encoding_t enc,
                       const char *text, size_t len);

/* Replaces the whole text. */
void gls_document_set_text(gls_document_t *doc, const char *text, size_t len);

/* Forgets the logged edits (the consumer has caught up). */
void gls_document_clear_edit_log(gls_document_t *doc);

/* The store: open documents keyed by URI. */
typedef struct gls_documents {
    gls_document_t **items;
    size_t count;
    size_t cap;
} gls_documents_t;

void gls_documents_init(gls_documents_t *s);
/* Frees every document. */
void gls_documents_close(gls_documents_t *s);
/* Returns a borrowed document, or NULL. */
gls_document_t *gls_documents_get(const gls_documents_t *s, const char *uri);
/* Adds 'doc' (stolen). A document already open under the same URI is
 * replaced and freed; returns 1 in that case, else 0. */
int gls_documents_put(gls_documents_t *s, gls_document_t *doc);
/* Removes and frees; returns 0, or -1 when no such document is open. */
int gls_documents_remove(gls_documents_t *s, const char *uri);

#endif
