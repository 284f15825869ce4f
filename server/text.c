/* text.c: word tokenizer and case folding. */
#include "gls/text.h"

#include <ctype.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/position.h"

void gls_tokens_init(gls_tokens_t *t)
{
    t->items = NULL;
    t->count = t->cap = 0;
}

void gls_tokens_close(gls_tokens_t *t)
{
    free(t->items);
    gls_tokens_init(t);
}

static void grow(gls_tokens_t *t)
{
    t->cap = t->cap ? t->cap * 2 : 64;
    t->items = gls_xrealloc(t->items, t->cap * sizeof *t->items);
}

static inline void push(gls_tokens_t *t, gls_token_t tok)
{
    if (t->count == t->cap)
        grow(t);
    t->items[t->count++] = tok;
}

size_t gls_utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

int gls_is_cjk_cp(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30ff) ||   /* Hiragana, Katakana */
           (cp >= 0x3400 && cp <= 0x4dbf) ||   /* CJK Extension A */
           (cp >= 0x4e00 && cp <= 0x9fff) ||   /* CJK Unified Ideographs */
           (cp >= 0xac00 && cp <= 0xd7af) ||   /* Hangul syllables */
           (cp >= 0xf900 && cp <= 0xfaff) ||   /* CJK compatibility */
           (cp >= 0x20000 && cp <= 0x2ffff);   /* CJK Extensions B.. */
}

/* Letters and digits of any script. Rather than carry the Unicode tables,
 * non-ASCII code points count as word characters unless they fall in the
 * blocks of punctuation, symbols, spaces and emoji. */
int gls_is_word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp < 0xc0)
        return cp == 0xaa || cp == 0xb5 || cp == 0xba;
    if (cp == 0xd7 || cp == 0xf7)
        return 0;
    if (cp >= 0x2000 && cp <= 0x2bff) /* punctuation, symbols, arrows, math, boxes */
        return 0;
    if (cp >= 0x3000 && cp <= 0x303f) /* CJK punctuation */
        return 0;
    if (cp >= 0xfe30 && cp <= 0xfe4f)
        return 0;
    if (cp >= 0xff00 && cp <= 0xff0f) /* fullwidth punctuation */
        return 0;
    if ((cp >= 0xff1a && cp <= 0xff20) || (cp >= 0xff3b && cp <= 0xff40) ||
        (cp >= 0xff5b && cp <= 0xff65))
        return 0;
    if (cp >= 0xfff0 && cp <= 0xffff)
        return 0;
    if (cp >= 0x1f000 && cp <= 0x1faff) /* emoji and pictographs */
        return 0;
    if (cp >= 0xe000 && cp <= 0xf8ff) /* private use */
        return 0;
    if (cp == 0xfeff || cp == 0x00a0 || cp == 0x1680)
        return 0;
    if ((cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0x200d || (cp >= 0xe0100 && cp <= 0xe01ef))
        return 0; /* variation selectors and joiners belong to emoji */
    if (cp >= 0x2600 && cp <= 0x27bf)
        return 0; /* symbols and dingbats (many emoji live here) */
    return 1;
}

uint32_t gls_fold_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x17f) {
        /* Latin Extended-A pairs upper/lower as even/odd, except a band
         * around U+0138..U+0148 and U+0179..U+017E that pairs odd/even. */
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
            return (cp & 1) ? cp + 1 : cp;
        if (cp == 0x130 || cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17f)
            return cp;
        return (cp & 1) ? cp : cp + 1;
    }
    if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42f)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40f)
        return cp + 80;
    if (cp == 0x2019 || cp == 0x2018 || cp == 0x02bc)
        return '\'';
    return cp;
}

int gls_is_upper_cp(uint32_t cp)
{
    if (cp == 0x2019 || cp == 0x2018 || cp == 0x02bc)
        return 0;
    return gls_fold_cp(cp) != cp;
}

size_t gls_fold(const char *text, size_t len, gls_buf_t *out)
{
    gls_buf_clear(out);
    gls_buf_reserve(out, len + 4);
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            unsigned char c = s[i++];
            out->data[out->len++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            continue;
        }
        uint32_t cp;
        size_t n = gls_utf8_decode(s + i, len - i, &cp);
        i += n;
        char enc[4];
        size_t m = gls_utf8_encode(gls_fold_cp(cp), enc);
        /* An invalid byte folds to U+FFFD, three bytes for one: keep room
         * for the rest too, which the ASCII path above writes unchecked. */
        gls_buf_reserve(out, m + (len - i) + 4);
        memcpy(out->data + out->len, enc, m);
        out->len += m;
    }
    out->data[out->len] = '\0';
    return out->len;
}

static inline uint32_t decode_at(const unsigned char *s, uint32_t i, uint32_t end, uint32_t *n)
{
    if (s[i] < 0x80) {
        *n = 1;
        return s[i];
    }
    uint32_t cp;
    *n = (uint32_t)gls_utf8_decode(s + i, end - i, &cp);
    return cp;
}

/* ASCII byte classes for the tokenizer's fast paths. The low bits are the
 * token flags a character contributes, so a word's flags are an OR. */
enum {
    ASCII_UPPER = GLS_TOKEN_UPPER,
    ASCII_LOWER = GLS_TOKEN_LOWER,
    ASCII_DIGIT = GLS_TOKEN_DIGIT,
    ASCII_SPACE = 1 << 5,   /* ends a white-space-delimited chunk */
    ASCII_TRIGGER = 1 << 6, /* may start a URL, e-mail or name: look closer */
    ASCII_LEAD = 1 << 3,    /* may open a chunk before a #channel or @handle */
    ASCII_LETTER = 1 << 7,
    ASCII_WORD = ASCII_UPPER | ASCII_LOWER | ASCII_DIGIT
};

static const uint8_t ascii_class[128] = {
    ['a' ... 'z'] = ASCII_LOWER | ASCII_LETTER,
    ['A' ... 'Z'] = ASCII_UPPER | ASCII_LETTER,
    ['0' ... '9'] = ASCII_DIGIT,
    [' '] = ASCII_SPACE, ['\t'] = ASCII_SPACE, ['\n'] = ASCII_SPACE, ['\r'] = ASCII_SPACE,
    ['\f'] = ASCII_SPACE, ['\v'] = ASCII_SPACE,
    ['@'] = ASCII_TRIGGER, ['_'] = ASCII_TRIGGER | ASCII_LEAD, ['{'] = ASCII_TRIGGER,
    ['/'] = ASCII_TRIGGER, ['.'] = ASCII_TRIGGER,
    ['('] = ASCII_LEAD, ['"'] = ASCII_LEAD, ['\''] = ASCII_LEAD, ['['] = ASCII_LEAD,
    ['*'] = ASCII_LEAD,
};

static inline int is_space(uint32_t cp)
{
    if (cp < 0x80)
        return (ascii_class[cp] & ASCII_SPACE) != 0;
    return cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x3000 || cp == 0x202f ||
           cp == 0x205f || cp == 0xfeff;
}

static inline int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

static inline int url_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '-' || c == '.';
}

static inline int email_char(unsigned char c)
{
    return url_char(c) || c == '_' || c == '%';
}

/* Finds a URL or an e-mail address in the white-space-delimited chunk
 * text[i, end): sets [*from, *to) to the bytes to skip (from its first
 * character to the end of the chunk) and returns 1, or returns 0. What
 * comes before it in the chunk ("NRR—https://...") is still text. */
static int url_or_email(const char *text, uint32_t i, uint32_t end, uint32_t *from, uint32_t *to);

int gls_url_or_email(const char *text, uint32_t i, uint32_t end, uint32_t *from, uint32_t *to)
{
    return url_or_email(text, i, end, from, to);
}

static int url_or_email(const char *text, uint32_t i, uint32_t end, uint32_t *from, uint32_t *to)
{
    /* One pass finds the end of the chunk and decides whether any of the
     * patterns below can apply at all: most chunks are plain words. */
    const unsigned char *u = (const unsigned char *)text;
    uint32_t lead = i;
    while (lead < end && u[lead] < 0x80 && (ascii_class[u[lead]] & ASCII_LEAD))
        lead++;
    int maybe = lead < end && (text[lead] == '#' || text[lead] == '@');
    uint32_t j = i;
    int run_start = 1; /* no URL character just before j */
    while (j < end) {
        unsigned char ch = u[j];
        if (ch >= 0x80) {
            j++;
            run_start = 1;
            continue;
        }
        uint8_t k = ascii_class[ch];
        if (k & ASCII_WORD) {
            /* "www." and "mailto:" start where a run of URL characters does. */
            if (run_start && (((ch | 0x20) == 'w' && end - j >= 4 &&
                               strncasecmp(text + j, "www.", 4) == 0) ||
                              ((ch | 0x20) == 'm' && end - j >= 7 &&
                               strncasecmp(text + j, "mailto:", 7) == 0)))
                maybe = 1;
            j++;
            while (j < end && u[j] < 0x80 && (ascii_class[u[j]] & ASCII_WORD))
                j++;
            run_start = 0;
            continue;
        }
        if (k & ASCII_SPACE)
            break;
        if ((k & ASCII_TRIGGER) &&
            (ch != '.' || (j + 1 < end && u[j + 1] < 0x80 && isalpha(u[j + 1]))))
            maybe = 1;
        run_start = !url_char(ch);
        j++;
    }
    if (!maybe)
        return 0;
    const char *c = text + i;
    size_t len = j - i;
    uint32_t best = j;
    const char *p;
    if (len > 4 && (p = memmem(c, len, "://", 3)) && p > c) {
        const char *q = p;
        while (q > c && url_char((unsigned char)q[-1]))
            q--;
        if (q < p && (uint32_t)(q - text) < best)
            best = (uint32_t)(q - text);
    }
    for (size_t k = 0; k + 4 < len; k++) {
        if ((k == 0 || !url_char((unsigned char)c[k - 1])) &&
            (strncasecmp(c + k, "www.", 4) == 0 ||
             (len - k >= 7 && strncasecmp(c + k, "mailto:", 7) == 0))) {
            if (i + k < best)
                best = (uint32_t)(i + k);
            break;
        }
    }
    const char *at = memchr(c, '@', len);
    if (at && at > c && at + 2 < c + len && memchr(at, '.', (size_t)(c + len - at)) &&
        email_char((unsigned char)at[-1]) && email_char((unsigned char)at[1])) {
        const char *q = at;
        while (q > c && email_char((unsigned char)q[-1]))
            q--;
        if ((uint32_t)(q - text) < best)
            best = (uint32_t)(q - text);
    }
    /* Other things in prose that are names, not words: a #channel or an
     * @handle at the start of the chunk, a {{placeholder}}, an identifier
     * with underscores, a file name, a host with a path (app.example.com/x). */
    if (lead + 1 < j && (text[lead] == '#' || text[lead] == '@') &&
        email_char((unsigned char)text[lead + 1]) && lead < best)
        best = lead;
    if (len > 4 && (p = memmem(c, len, "{{", 2)) && (uint32_t)(p - text) < best)
        best = (uint32_t)(p - text);
    for (size_t k = 1; k + 1 < len; k++) {
        if (c[k] == '_' && email_char((unsigned char)c[k - 1]) &&
            email_char((unsigned char)c[k + 1])) {
            const char *q = c + k;
            while (q > c && (email_char((unsigned char)q[-1]) || q[-1] == '_'))
                q--;
            if ((uint32_t)(q - text) < best)
                best = (uint32_t)(q - text);
            break;
        }
    }
    for (size_t k = 1; k + 3 < len; k++) {
        /* "host.tld/": a dot, two or more letters, then a slash. */
        if (c[k] != '.' || !url_char((unsigned char)c[k - 1]))
            continue;
        size_t e = k + 1;
        while (e < len && isalpha((unsigned char)c[e]))
            e++;
        if (e - k - 1 >= 2 && e < len && c[e] == '/') {
            const char *q = c + k;
            while (q > c && url_char((unsigned char)q[-1]))
                q--;
            if ((uint32_t)(q - text) < best)
                best = (uint32_t)(q - text);
            break;
        }
    }
    /* A file name: the chunk, less trailing punctuation, ends in a known
     * extension after a word character. */
    static const char *const exts[] = {"csv", "md", "json", "yaml", "yml", "txt", "pdf",
                                       "xlsx", "xls", "docx", "doc", "pptx", "png", "jpg",
                                       "jpeg", "gif", "svg", "html", "js", "ts", "py", "sql",
                                       "zip", "log", "sh", "xml", "toml", "ini", "tsv"};
    size_t t = len;
    while (t > 0 && strchr(".,;:!?)\"']*_", c[t - 1]))
        t--;
    for (size_t e = 0; e < GLS_ARRAY_LEN(exts); e++) {
        size_t n = strlen(exts[e]);
        if (t > n + 1 && c[t - n - 1] == '.' && strncasecmp(c + t - n, exts[e], n) == 0 &&
            url_char((unsigned char)c[t - n - 2])) {
            const char *q = c + t - n - 1;
            while (q > c && (url_char((unsigned char)q[-1]) || q[-1] == '_' || q[-1] == '/'))
                q--;
            if ((uint32_t)(q - text) < best)
                best = (uint32_t)(q - text);
            break;
        }
    }
    if (best >= j)
        return 0;
    *from = best;
    *to = j;
    return 1;
}

/* Is the code point at s[i] a word character (CJK included)? */
static inline int word_at(const unsigned char *s, uint32_t i, uint32_t end)
{
    if (i >= end)
        return 0;
    if (s[i] < 0x80)
        return (ascii_class[s[i]] & ASCII_WORD) != 0;
    uint32_t n;
    return gls_is_word_cp(decode_at(s, i, end, &n));
}

/* Is the code point at s[i] a word character but not CJK? */
static inline int latin_word_at(const unsigned char *s, uint32_t i, uint32_t end)
{
    if (i >= end)
        return 0;
    if (s[i] < 0x80)
        return (ascii_class[s[i]] & ASCII_WORD) != 0;
    uint32_t n;
    uint32_t cp = decode_at(s, i, end, &n);
    return gls_is_word_cp(cp) && !gls_is_cjk_cp(cp);
}

gls_sep_t gls_tokenize(const char *text, uint32_t start, uint32_t end, gls_sep_t first_sep,
                       gls_tokens_t *out)
{
    const unsigned char *s = (const unsigned char *)text;
    gls_sep_t sep = first_sep;
    uint32_t i = start;
    int chunk_start = 1; /* at the start of a white-space-delimited chunk */
    uint32_t skip_from = UINT32_MAX, skip_to = 0; /* a URL or e-mail in this chunk */
    while (i < end) {
        uint32_t n;
        uint32_t cp;
        if (s[i] < 0x80) {
            cp = s[i];
            n = 1;
            if (ascii_class[cp] & ASCII_SPACE) {
                if (sep < GLS_SEP_SPACE)
                    sep = GLS_SEP_SPACE;
                i++;
                chunk_start = 1;
                continue;
            }
        } else {
            cp = decode_at(s, i, end, &n);
            if (is_space(cp)) {
                if (sep < GLS_SEP_SPACE)
                    sep = GLS_SEP_SPACE;
                i += n;
                chunk_start = 1;
                continue;
            }
        }
        if (chunk_start) {
            chunk_start = 0;
            if (!url_or_email(text, i, end, &skip_from, &skip_to))
                skip_from = UINT32_MAX;
        }
        if (i >= skip_from) {
            sep = GLS_SEP_HARD;
            i = skip_to;
            skip_from = UINT32_MAX;
            continue;
        }
        int ascii_word = cp < 0x80 && (ascii_class[cp] & ASCII_WORD);
        if (!ascii_word) {
            if (cp >= 0x80 && gls_is_cjk_cp(cp)) {
                gls_token_t t = {i, i + n, (uint8_t)sep, GLS_TOKEN_CJK, 1};
                push(out, t);
                sep = GLS_SEP_NONE;
                i += n;
                continue;
            }
            if (cp == '&') {
                gls_token_t t = {i, i + 1, (uint8_t)(sep > GLS_SEP_SPACE ? sep : GLS_SEP_SPACE),
                                 GLS_TOKEN_SYMBOL, 0};
                push(out, t);
                sep = GLS_SEP_NONE;
                i += 1;
                continue;
            }
            if (cp < 0x80 || !gls_is_word_cp(cp)) {
                /* A single hyphen or slash directly between two words joins
                 * them; any other punctuation separates hard. */
                int prev_word = out->count > 0 && out->items[out->count - 1].end == i &&
                                !(out->items[out->count - 1].flags & GLS_TOKEN_SYMBOL);
                if ((cp == '-' || cp == 0x2010 || cp == 0x2011) && prev_word &&
                    sep <= GLS_SEP_SPACE && word_at(s, i + n, end)) {
                    sep = GLS_SEP_HYPHEN;
                } else if (cp == '/' && prev_word && sep <= GLS_SEP_SPACE &&
                           word_at(s, i + n, end)) {
                    sep = GLS_SEP_SLASH;
                } else {
                    sep = GLS_SEP_HARD;
                }
                i += n;
                continue;
            }
        }
        /* A word: letters and digits, with internal apostrophes, and a
         * trailing apostrophe after 's' (the plural possessive). */
        gls_token_t t = {i, i, (uint8_t)sep, 0, 0};
        unsigned letters = 0;
        unsigned flags = 0;
        uint32_t lim = end < skip_from ? end : skip_from;
        while (i < lim) {
            if (s[i] < 0x80) {
                /* The common case: an ASCII letter or digit. */
                uint8_t k = ascii_class[s[i]];
                if (k & ASCII_WORD) {
                    flags |= k;
                    letters += k >> 7; /* ASCII_LETTER */
                    i++;
                    continue;
                }
                cp = s[i];
                n = 1;
            } else {
                cp = decode_at(s, i, end, &n);
                if (gls_is_word_cp(cp) && !gls_is_cjk_cp(cp)) {
                    letters++;
                    flags |= gls_is_upper_cp(cp) ? GLS_TOKEN_UPPER : GLS_TOKEN_LOWER;
                    i += n;
                    continue;
                }
            }
            if (is_apostrophe(cp)) {
                if (latin_word_at(s, i + n, end)) {
                    i += n;
                    continue;
                }
                char last = (char)s[i - 1];
                if (last == 's' || last == 'S')
                    i += n; /* customers' */
            }
            break;
        }
        t.end = i;
        t.flags = (uint8_t)(flags & (GLS_TOKEN_UPPER | GLS_TOKEN_LOWER | GLS_TOKEN_DIGIT));
        t.letters = (uint16_t)(letters > 65535 ? 65535 : letters);
        push(out, t);
        sep = GLS_SEP_NONE;
    }
    return sep;
}

/* Acronym shape: 2-6 capitals (digits allowed), optional plural 's' or
 * possessive "'s". */
int gls_acronym_shape(const char *w, size_t n, size_t *base)
{
    if (n >= 3 && w[n - 1] == 's' && w[n - 2] == '\'')
        n -= 2;
    else if (n >= 5 && w[n - 1] == 's' && (unsigned char)w[n - 2] == 0x99 &&
             (unsigned char)w[n - 3] == 0x80 && (unsigned char)w[n - 4] == 0xe2)
        n -= 4;
    size_t b = n;
    if (n >= 3 && w[n - 1] == 's')
        b = n - 1;
    size_t letters = 0;
    for (size_t i = 0; i < b; i++) {
        if (isupper((unsigned char)w[i]))
            letters++;
        else if (!isdigit((unsigned char)w[i]))
            return 0;
    }
    if (letters < 2 || letters > 6 || b > 8 || !isupper((unsigned char)w[0]))
        return 0;
    *base = b;
    return 1;
}
