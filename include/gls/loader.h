/* loader.h: glossary loaders. Each reads one file's text into a builder;
 * problems are added to the builder's diagnostics with the file, line and
 * column, and a loader never stops silently half-way: what it could not
 * read is reported. Loaders return the number of errors they reported
 * (0: the file is fully loaded). */
#ifndef GLS_LOADER_H
#define GLS_LOADER_H

#include <stddef.h>

#include "gls/glossary.h"

typedef enum gls_glossary_format {
    GLS_FORMAT_UNKNOWN,
    GLS_FORMAT_JSON,     /* the native format, docs/glossary.schema.json */
    GLS_FORMAT_MARKDOWN, /* headings, bullets, definition lists, abbreviations */
    GLS_FORMAT_TEXT,     /* plain glossary pages */
    GLS_FORMAT_VALE_ACCEPT,   /* Vale vocabulary accept.txt */
    GLS_FORMAT_VALE_REJECT,   /* Vale vocabulary reject.txt */
    GLS_FORMAT_TEXTLINT,      /* textlint-rule-terminology terms (JSON/JSONC) */
    GLS_FORMAT_CSPELL_CONFIG, /* cspell.json and its dictionaries */
    GLS_FORMAT_CSPELL_WORDS,  /* a cspell word list (*words.txt) */
    GLS_FORMAT_CONTEXTIVE,    /* Contextive *.glossary.yml */
    GLS_FORMAT_PRH,           /* prh rules (YAML) */
    GLS_FORMAT_VALE_RULE,     /* a Vale rule (YAML: substitution, existence) */
    GLS_FORMAT_TBX            /* TBX-Basic / TBX 2008 termbases (XML) */
} gls_glossary_format_t;

/* Guesses the format from the file name, then the content. */
gls_glossary_format_t gls_glossary_format_guess(const char *path, const char *text, size_t len);

/* 'path' is used in messages; 'text' is borrowed. */
int gls_load_json(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_markdown(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_text(gls_builder_t *b, const char *path, const char *text, size_t len);
/* Other tools' vocabularies (see each file's header comment). */
int gls_load_vale_vocab(gls_builder_t *b, const char *path, const char *text, size_t len,
                        int reject);
int gls_load_textlint(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_cspell_config(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_cspell_words(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_contextive(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_prh(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_vale_rule(gls_builder_t *b, const char *path, const char *text, size_t len);
int gls_load_tbx(gls_builder_t *b, const char *path, const char *text, size_t len);
/* Parses a format name ("json", "markdown", "text", "vale-accept",
 * "vale-reject", "textlint", "cspell", "cspell-words", "contextive", "prh",
 * "vale-rule", "tbx"); UNKNOWN if none. */
gls_glossary_format_t gls_glossary_format_parse(const char *name);
/* Dispatches on 'format' (guessed when UNKNOWN). */
int gls_load(gls_builder_t *b, const char *path, const char *text, size_t len,
             gls_glossary_format_t format);

/* Reads a whole file into a new NUL-terminated buffer; returns 0 or a
 * negative errno. '*out' is freed by the caller. Files over 'max' bytes
 * are refused with -EFBIG. */
int gls_read_file(const char *path, size_t max, char **out, size_t *len);

/* Loads the glossary embedded in the binary (server/data/cs-glossary.json)
 * into 'b'. */
int gls_load_builtin(gls_builder_t *b);
/* The embedded source text and its length (borrowed, static). */
const char *gls_builtin_source(size_t *len);

#endif
