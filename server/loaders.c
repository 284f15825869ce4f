/* loaders.c: choosing a glossary loader by file name and content. */
#include <string.h>
#include <strings.h>

#include "gls/loader.h"

gls_glossary_format_t gls_glossary_format_guess(const char *path, const char *text, size_t len)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot && strcasecmp(dot, ".json") == 0)
        return GLS_FORMAT_JSON;
    if (dot && (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0 ||
                strcasecmp(dot, ".mdx") == 0))
        return GLS_FORMAT_MARKDOWN;
    if (dot && strcasecmp(dot, ".txt") == 0)
        return GLS_FORMAT_TEXT;
    /* No telling extension: a JSON object or array is JSON, '#' headings
     * or '*[' abbreviations are Markdown, anything else plain text. */
    size_t i = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    if (i < len && (text[i] == '{' || text[i] == '['))
        return GLS_FORMAT_JSON;
    if (i < len && (text[i] == '#' || (text[i] == '*' && i + 1 < len && text[i + 1] == '[')))
        return GLS_FORMAT_MARKDOWN;
    return GLS_FORMAT_TEXT;
}

int gls_load(gls_builder_t *b, const char *path, const char *text, size_t len,
             gls_glossary_format_t format)
{
    if (format == GLS_FORMAT_UNKNOWN)
        format = gls_glossary_format_guess(path, text, len);
    switch (format) {
    case GLS_FORMAT_JSON:
        return gls_load_json(b, path, text, len);
    case GLS_FORMAT_MARKDOWN:
        return gls_load_markdown(b, path, text, len);
    default:
        return gls_load_text(b, path, text, len);
    }
}
