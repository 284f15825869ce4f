/* lspjson.c: typed access to LSP parameters. */
#include "gls/lspjson.h"

int gls_json_string(json_t *obj, const char *key, const char **out, size_t *len)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!json_is_string(v))
        return -1;
    *out = json_string_value(v);
    if (len)
        *len = json_string_length(v);
    return 0;
}

int gls_json_integer(json_t *obj, const char *key, int64_t *out)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!json_is_integer(v))
        return -1;
    *out = (int64_t)json_integer_value(v);
    return 0;
}

int gls_json_uinteger(json_t *obj, const char *key, uint32_t *out)
{
    int64_t v;
    if (gls_json_integer(obj, key, &v) < 0)
        return -1;
    *out = v < 0 ? 0 : v > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
    return 0;
}

int gls_lsp_position(json_t *pos, uint32_t *line, uint32_t *character)
{
    if (!json_is_object(pos))
        return -1;
    if (gls_json_uinteger(pos, "line", line) < 0 ||
        gls_json_uinteger(pos, "character", character) < 0)
        return -1;
    return 0;
}

int gls_lsp_range(json_t *range, uint32_t *sl, uint32_t *sc, uint32_t *el, uint32_t *ec)
{
    if (!json_is_object(range))
        return -1;
    if (gls_lsp_position(json_object_get(range, "start"), sl, sc) < 0 ||
        gls_lsp_position(json_object_get(range, "end"), el, ec) < 0)
        return -1;
    return 0;
}

int gls_lsp_text_document_uri(json_t *params, const char **uri)
{
    json_t *td = json_is_object(params) ? json_object_get(params, "textDocument") : NULL;
    return gls_json_string(td, "uri", uri, NULL);
}

json_t *gls_lsp_position_new(uint32_t line, uint32_t character)
{
    return json_pack("{s:I,s:I}", "line", (json_int_t)line, "character", (json_int_t)character);
}
