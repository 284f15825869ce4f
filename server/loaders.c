/* loaders.c: choosing a glossary loader by file name and content. */
#include <string.h>
#include <strings.h>

#include "gls/loader.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* The first non-blank byte at or after 'i' (after a BOM), or len. */
static size_t skip_blank(const char *text, size_t len, size_t i)
{
    if (i == 0 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    return i;
}

/* Whether a JSON text has the key "name" anywhere (a cheap look, for
 * telling formats apart; the loader reads it properly). */
static int has_key(const char *text, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; (p = memchr(p, '"', len - (size_t)(p - text))) != NULL; p++) {
        if ((size_t)(text + len - p) > n + 1 && memcmp(p + 1, name, n) == 0 && p[n + 1] == '"')
            return 1;
        if (p + 1 >= text + len)
            break;
    }
    return 0;
}

/* Native JSON, or one of the JSON vocabularies of other tools. */
static gls_glossary_format_t json_kind(const char *text, size_t len)
{
    size_t i = skip_blank(text, len, 0);
    if (i < len && text[i] == '[') {
        size_t j = skip_blank(text, len, i + 1);
        /* textlint lists strings and pairs; native lists are of objects. */
        if (j < len && (text[j] == '"' || text[j] == '['))
            return GLS_FORMAT_TEXTLINT;
        return GLS_FORMAT_JSON;
    }
    if (has_key(text, len, "concepts"))
        return GLS_FORMAT_JSON;
    if (has_key(text, len, "flagWords") || has_key(text, len, "words") ||
        has_key(text, len, "dictionaryDefinitions"))
        return GLS_FORMAT_CSPELL_CONFIG;
    if (has_key(text, len, "terms") || has_key(text, len, "terminology"))
        return GLS_FORMAT_TEXTLINT;
    return GLS_FORMAT_JSON;
}

/* A top-level key at the start of a line ("extends:", "rules:"). */
static int has_top_key(const char *text, size_t len, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i + n <= len; i++) {
        if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, key, n) == 0)
            return 1;
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - text);
    }
    return 0;
}

/* Which tool's YAML: Vale rules extend a check, prh lists rules,
 * Contextive lists contexts. prh is the fallback (its loader says what is
 * missing). */
static gls_glossary_format_t yaml_kind(const char *text, size_t len)
{
    if (has_top_key(text, len, "extends:"))
        return GLS_FORMAT_VALE_RULE;
    if (has_top_key(text, len, "contexts:"))
        return GLS_FORMAT_CONTEXTIVE;
    return GLS_FORMAT_PRH;
}

gls_glossary_format_t gls_glossary_format_guess(const char *path, const char *text, size_t len)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *base = slash ? slash + 1 : path ? path : "";
    const char *dot = strrchr(base, '.');
    if (strcasecmp(base, "accept.txt") == 0)
        return GLS_FORMAT_VALE_ACCEPT;
    if (strcasecmp(base, "reject.txt") == 0)
        return GLS_FORMAT_VALE_REJECT;
    if (strcasecmp(base, "cspell.json") == 0 || strcasecmp(base, ".cspell.json") == 0 ||
        strcasecmp(base, "cspell.config.json") == 0 || strcasecmp(base, ".cspell.config.json") == 0)
        return GLS_FORMAT_CSPELL_CONFIG;
    if (strcasecmp(base, ".textlintrc") == 0 || strcasecmp(base, ".textlintrc.json") == 0 ||
        ends_with(base, ".jsonc"))
        return GLS_FORMAT_TEXTLINT;
    if (ends_with(base, "words.txt") || ends_with(base, ".dic"))
        return GLS_FORMAT_CSPELL_WORDS;
    if (ends_with(base, ".glossary.yml") || ends_with(base, ".glossary.yaml"))
        return GLS_FORMAT_CONTEXTIVE;
    if (ends_with(base, ".yml") || ends_with(base, ".yaml"))
        return yaml_kind(text, len);
    if (ends_with(base, ".tbx"))
        return GLS_FORMAT_TBX;
    if (dot && strcasecmp(dot, ".json") == 0)
        return json_kind(text, len);
    if (dot && (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0 ||
                strcasecmp(dot, ".mdx") == 0))
        return GLS_FORMAT_MARKDOWN;
    if (dot && strcasecmp(dot, ".txt") == 0)
        return GLS_FORMAT_TEXT;
    /* No telling extension: a JSON object or array is JSON, '#' headings
     * or '*[' abbreviations are Markdown, anything else plain text. */
    size_t i = skip_blank(text, len, 0);
    if (i < len && (text[i] == '{' || text[i] == '['))
        return json_kind(text, len);
    if (i < len && text[i] == '<' && (memmem(text, len, "<tbx", 4) || memmem(text, len, "<martif", 7)))
        return GLS_FORMAT_TBX;
    if (i < len && (text[i] == '#' || (text[i] == '*' && i + 1 < len && text[i + 1] == '[')))
        return GLS_FORMAT_MARKDOWN;
    return GLS_FORMAT_TEXT;
}

static const struct {
    const char *name;
    gls_glossary_format_t format;
} format_names[] = {
    {"json", GLS_FORMAT_JSON},
    {"markdown", GLS_FORMAT_MARKDOWN},
    {"text", GLS_FORMAT_TEXT},
    {"vale-accept", GLS_FORMAT_VALE_ACCEPT},
    {"vale-reject", GLS_FORMAT_VALE_REJECT},
    {"textlint", GLS_FORMAT_TEXTLINT},
    {"cspell", GLS_FORMAT_CSPELL_CONFIG},
    {"cspell-words", GLS_FORMAT_CSPELL_WORDS},
    {"contextive", GLS_FORMAT_CONTEXTIVE},
    {"prh", GLS_FORMAT_PRH},
    {"vale-rule", GLS_FORMAT_VALE_RULE},
    {"tbx", GLS_FORMAT_TBX},
};

gls_glossary_format_t gls_glossary_format_parse(const char *name)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(name, format_names[i].name) == 0)
            return format_names[i].format;
    return GLS_FORMAT_UNKNOWN;
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
    case GLS_FORMAT_VALE_ACCEPT:
    case GLS_FORMAT_VALE_REJECT:
        return gls_load_vale_vocab(b, path, text, len, format == GLS_FORMAT_VALE_REJECT);
    case GLS_FORMAT_TEXTLINT:
        return gls_load_textlint(b, path, text, len);
    case GLS_FORMAT_CSPELL_CONFIG:
        return gls_load_cspell_config(b, path, text, len);
    case GLS_FORMAT_CSPELL_WORDS:
        return gls_load_cspell_words(b, path, text, len);
    case GLS_FORMAT_CONTEXTIVE:
        return gls_load_contextive(b, path, text, len);
    case GLS_FORMAT_PRH:
        return gls_load_prh(b, path, text, len);
    case GLS_FORMAT_VALE_RULE:
        return gls_load_vale_rule(b, path, text, len);
    case GLS_FORMAT_TBX:
        return gls_load_tbx(b, path, text, len);
    default:
        return gls_load_text(b, path, text, len);
    }
}
