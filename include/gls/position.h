/* position.h: UTF-8 decoding, line tables and the conversion between byte
 * offsets (used everywhere inside) and LSP positions (line, character in
 * the negotiated encoding), done only at the protocol edge. */
#ifndef GLS_POSITION_H
#define GLS_POSITION_H

#include <stddef.h>
#include <stdint.h>

typedef enum gls_encoding {
    GLS_ENCODING_UTF8,
    GLS_ENCODING_UTF16,
    GLS_ENCODING_UTF32
} gls_encoding_t;

/* Returns the LSP name ("utf-8", "utf-16", "utf-32"). */
const char *gls_encoding_name(gls_encoding_t enc);

/* Decodes one code point at 's' (with 'len' > 0 bytes available). Returns
 * the number of bytes consumed, at least 1. An invalid or truncated
 * sequence, an overlong form or a surrogate consumes exactly one byte and
 * yields U+FFFD, so every byte string has one well-defined decoding. */
size_t gls_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Code units 'cp' takes in 'enc' when it was decoded from 'nbytes' bytes. */
static inline size_t gls_units(uint32_t cp, size_t nbytes, gls_encoding_t enc)
{
    if (enc == GLS_ENCODING_UTF8)
        return nbytes;
    if (enc == GLS_ENCODING_UTF16)
        return cp >= 0x10000 ? 2 : 1;
    return 1;
}

/* True when 'len' bytes at 's' are valid UTF-8. */
int gls_utf8_valid(const char *s, size_t len);

/* Line table: the byte offset where each line starts. A line ends at
 * "\n", "\r\n" or a lone "\r", as LSP defines. starts[0] is always 0. */
typedef struct gls_lines {
    size_t *starts;
    size_t count;
    size_t cap;
} gls_lines_t;

void gls_lines_init(gls_lines_t *l);
void gls_lines_close(gls_lines_t *l);
/* Rebuilds the whole table for 'text'. */
void gls_lines_build(gls_lines_t *l, const char *text, size_t len);
/* Updates the table after bytes [start, old_end) of the old text were
 * replaced by bytes [start, new_end) of 'text' (the new text, 'len' bytes).
 * Cost: the lines touched by the edit plus a shift of the later entries. */
void gls_lines_update(gls_lines_t *l, const char *text, size_t len, size_t start, size_t old_end,
                      size_t new_end);
/* Index of the line containing byte 'offset' (clamped to the text). */
size_t gls_lines_find(const gls_lines_t *l, size_t offset);
/* Byte offset where line 'line' ends, excluding its terminator. */
size_t gls_lines_content_end(const gls_lines_t *l, const char *text, size_t len, size_t line);

/* Converts an LSP position to a byte offset. A line past the end maps to
 * the end of the text, a character past the end of its line to the end of
 * that line (before the terminator), a character inside a multi-unit code
 * point to the start of that code point: out-of-range input is clamped,
 * never an error. */
size_t gls_position_to_offset(const gls_lines_t *l, const char *text, size_t len, uint32_t line,
                              uint32_t character, gls_encoding_t enc);

/* Converts a byte offset (clamped to the text, and moved back to the start
 * of its code point) to a position in 'enc'. */
void gls_offset_to_position(const gls_lines_t *l, const char *text, size_t len, size_t offset,
                            gls_encoding_t enc, uint32_t *line, uint32_t *character);

#endif
