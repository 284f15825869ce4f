/* lspjson.h: reading LSP parameter shapes out of jansson values, with the
 * lenient clamping the server promises (negative or huge positions are
 * clamped, never an error) and strict type checks (a string where a number
 * belongs is an error). */
#ifndef GLS_LSPJSON_H
#define GLS_LSPJSON_H

#include <jansson.h>
#include <stdint.h>

/* Each returns 0 on success, -1 when the member is missing or of the wrong
 * type. Strings are borrowed from 'obj'. */
int gls_json_string(json_t *obj, const char *key, const char **out, size_t *len);
int gls_json_uinteger(json_t *obj, const char *key, uint32_t *out);
int gls_json_integer(json_t *obj, const char *key, int64_t *out);
int gls_lsp_position(json_t *pos, uint32_t *line, uint32_t *character);
int gls_lsp_range(json_t *range, uint32_t *sl, uint32_t *sc, uint32_t *el, uint32_t *ec);
/* params.textDocument.uri */
int gls_lsp_text_document_uri(json_t *params, const char **uri);

/* Builds {"line": l, "character": c}. Returns a new reference. */
json_t *gls_lsp_position_new(uint32_t line, uint32_t character);

#endif
