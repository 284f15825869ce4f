/* document.c: document text with full and incremental edits, and the store. */
#include "gls/document.h"

#include <stdlib.h>
#include <string.h>

#include "gls/util.h"

static void reserve(gls_document_t *doc, size_t len)
{
    if (len + 1 <= doc->cap)
        return;
    size_t cap = doc->cap ? doc->cap : 256;
    while (cap < len + 1)
        cap = cap + cap / 2 + 64;
    doc->text = gls_xrealloc(doc->text, cap);
    doc->cap = cap;
}

gls_document_t *gls_document_new(const char *uri, const char *language_id, int64_t version,
                                 const char *text, size_t len)
{
    gls_document_t *doc = gls_xcalloc(1, sizeof *doc);
    doc->uri = gls_xstrdup(uri);
    doc->language_id = gls_xstrdup(language_id ? language_id : "");
    doc->version = version;
    gls_lines_init(&doc->lines);
    gls_document_set_text(doc, text, len);
    doc->edits = 0; /* the opening text is not an edit */
    doc->edit_log_full = 0;
    return doc;
}

void gls_document_free(gls_document_t *doc)
{
    if (!doc)
        return;
    if (doc->attachment && doc->attachment_free)
        doc->attachment_free(doc->attachment);
    free(doc->uri);
    free(doc->language_id);
    free(doc->text);
    gls_lines_close(&doc->lines);
    free(doc);
}

void gls_document_set_text(gls_document_t *doc, const char *text, size_t len)
{
    /* Shrink when a much smaller text replaces a big one. */
    if (doc->cap > 2 * (len + 1) + 4096) {
        free(doc->text);
        doc->text = NULL;
        doc->cap = 0;
    }
    reserve(doc, len);
    if (len)
        memcpy(doc->text, text, len);
    doc->len = len;
    doc->text[len] = '\0';
    gls_lines_build(&doc->lines, doc->text, doc->len);
    doc->edits++;
    doc->edit_log_full = 1;
}

void gls_document_clear_edit_log(gls_document_t *doc)
{
    doc->edit_log_count = 0;
    doc->edit_log_full = 0;
}

/* Row and byte column of 'offset' in the current line table. */
static void point_of(const gls_document_t *doc, size_t offset, uint32_t *row, uint32_t *col)
{
    size_t line = gls_lines_find(&doc->lines, offset);
    *row = (uint32_t)line;
    *col = (uint32_t)(offset - doc->lines.starts[line]);
}

void gls_document_replace(gls_document_t *doc, size_t start, size_t end, const char *text,
                          size_t len)
{
    if (start > doc->len)
        start = doc->len;
    if (end > doc->len)
        end = doc->len;
    if (end < start) {
        size_t t = start;
        start = end;
        end = t;
    }
    size_t new_len = doc->len - (end - start) + len;
    gls_text_edit_t e = {0};
    int log = !doc->edit_log_full && doc->edit_log_count < GLS_EDIT_LOG_MAX &&
              new_len < UINT32_MAX;
    if (log) {
        e.start = (uint32_t)start;
        e.old_end = (uint32_t)end;
        e.new_end = (uint32_t)(start + len);
        point_of(doc, start, &e.start_row, &e.start_col);
        point_of(doc, end, &e.old_end_row, &e.old_end_col);
    } else {
        doc->edit_log_full = 1;
    }
    reserve(doc, new_len);
    memmove(doc->text + start + len, doc->text + end, doc->len - end);
    if (len)
        memcpy(doc->text + start, text, len);
    doc->len = new_len;
    doc->text[new_len] = '\0';
    gls_lines_update(&doc->lines, doc->text, doc->len, start, end, start + len);
    doc->edits++;
    if (log) {
        point_of(doc, start + len, &e.new_end_row, &e.new_end_col);
        doc->edit_log[doc->edit_log_count++] = e;
    }
}

void gls_document_edit(gls_document_t *doc, uint32_t start_line, uint32_t start_char,
                       uint32_t end_line, uint32_t end_char, gls_encoding_t enc,
                       const char *text, size_t len)
{
    size_t a = gls_position_to_offset(&doc->lines, doc->text, doc->len, start_line, start_char,
                                      enc);
    size_t b = gls_position_to_offset(&doc->lines, doc->text, doc->len, end_line, end_char, enc);
    gls_document_replace(doc, a, b, text, len);
}

void gls_documents_init(gls_documents_t *s)
{
    s->items = NULL;
    s->count = s->cap = 0;
}

void gls_documents_close(gls_documents_t *s)
{
    for (size_t i = 0; i < s->count; i++)
        gls_document_free(s->items[i]);
    free(s->items);
    gls_documents_init(s);
}

/* A linear scan: editors keep a handful of documents open, and the
 * workspace index (not this store) holds the unopened files. */
static long find(const gls_documents_t *s, const char *uri)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->items[i]->uri, uri) == 0)
            return (long)i;
    return -1;
}

gls_document_t *gls_documents_get(const gls_documents_t *s, const char *uri)
{
    long i = find(s, uri);
    return i < 0 ? NULL : s->items[i];
}

int gls_documents_put(gls_documents_t *s, gls_document_t *doc)
{
    long i = find(s, doc->uri);
    if (i >= 0) {
        gls_document_free(s->items[i]);
        s->items[i] = doc;
        return 1;
    }
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->items = gls_xrealloc(s->items, s->cap * sizeof *s->items);
    }
    s->items[s->count++] = doc;
    return 0;
}

int gls_documents_remove(gls_documents_t *s, const char *uri)
{
    long i = find(s, uri);
    if (i < 0)
        return -1;
    gls_document_free(s->items[i]);
    s->items[i] = s->items[--s->count];
    return 0;
}
