/* text.h: Unicode-aware words for matching. A tokenizer turns prose into
 * word tokens and the separators between them; case folding gives the
 * keys the matcher compares. Pure functions: no allocation but the
 * caller's buffers. */
#ifndef GLS_TEXT_H
#define GLS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "gls/util.h"

/* What stands between two tokens, from weakest to strongest. */
typedef enum gls_sep {
    GLS_SEP_NONE,   /* adjacent (between CJK characters) */
    GLS_SEP_SPACE,  /* white space, line breaks, or markup that joins */
    GLS_SEP_HYPHEN, /* one hyphen directly between two words: time-to-value */
    GLS_SEP_SLASH,  /* one slash directly between two words: DAU/MAU */
    GLS_SEP_HARD    /* punctuation, a URL, a code span: terms never cross it */
} gls_sep_t;

enum {
    GLS_TOKEN_UPPER = 1 << 0,  /* has an uppercase letter */
    GLS_TOKEN_LOWER = 1 << 1,  /* has a lowercase letter */
    GLS_TOKEN_DIGIT = 1 << 2,  /* has a digit */
    GLS_TOKEN_CJK = 1 << 3,    /* a single CJK character */
    GLS_TOKEN_SYMBOL = 1 << 4  /* '&' standing as a word */
};

typedef struct gls_token {
    uint32_t start, end;  /* byte offsets in the tokenized text */
    uint8_t sep;          /* gls_sep_t before this token */
    uint8_t flags;
    uint16_t letters;     /* letters in the token (capped) */
} gls_token_t;

/* A growable token list. */
typedef struct gls_tokens {
    gls_token_t *items;
    size_t count, cap;
} gls_tokens_t;

void gls_tokens_init(gls_tokens_t *t);
void gls_tokens_close(gls_tokens_t *t);

/* Appends the tokens of text[start, end) to 'out'. 'first_sep' is the
 * separator recorded before the first token (GLS_SEP_SPACE to join with
 * what came before, GLS_SEP_HARD to keep apart). URLs and e-mail
 * addresses are skipped and act as GLS_SEP_HARD. Returns the separator
 * seen after the last token (so a caller can join the next range). */
gls_sep_t gls_tokenize(const char *text, uint32_t start, uint32_t end, gls_sep_t first_sep,
                       gls_tokens_t *out);

/* Case-folds text[0, len) into 'out' (cleared first): simple one-to-one
 * folding for Latin, Greek and Cyrillic, typographic apostrophes as
 * ASCII. Returns out->len. */
size_t gls_fold(const char *text, size_t len, gls_buf_t *out);
/* Folds one code point. */
uint32_t gls_fold_cp(uint32_t cp);
/* Character classes. */
int gls_is_word_cp(uint32_t cp);
int gls_is_cjk_cp(uint32_t cp);
int gls_is_upper_cp(uint32_t cp);
/* Acronym shape: 2-6 capitals (digits allowed, ASCII), an optional plural
 * 's' or possessive "'s"; sets '*base' to the length without them. */
int gls_acronym_shape(const char *w, size_t n, size_t *base);
/* Encodes 'cp' as UTF-8 into 'out' (4 bytes); returns the length. */
size_t gls_utf8_encode(uint32_t cp, char *out);

/* Finds a URL or an e-mail address in the white-space-delimited chunk
 * starting at text[i] (within [i, end)): sets [*from, *to) to its bytes
 * (to the end of the chunk) and returns 1, or returns 0. The tokenizer's
 * own test, for other scanners of prose (patterns.c). */
int gls_url_or_email(const char *text, uint32_t i, uint32_t end, uint32_t *from, uint32_t *to);

#endif
