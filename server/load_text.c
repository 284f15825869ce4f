/* load_text.c: plain-text glossary pages as people copy them from the web:
 * term lines with their definitions below, or bullets with the definition
 * after a dash, among the page's leftovers (titles, index letters, links,
 * image residue), read by the shape of the lines alone. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/position.h"
#include "gls/text.h"
#include "gls/util.h"

/* Limits of a term line: longer lines are prose. */
#define HEAD_MAX_BYTES 120
#define HEAD_MAX_WORDS 10
/* Term lines in sentence case ("Churn rate") are read only this short. */
#define SOFT_HEAD_MAX_WORDS 6
/* Alias lines considered under one term line. */
#define ALIAS_MAX 4

enum { LN_BLANK, LN_NOISE, LN_TEXT };
enum { HEAD_TITLE = 1, HEAD_SENTENCE = 2 };

/* One line of the file, cleaned. */
typedef struct tline {
    char *s; /* valid UTF-8, white space collapsed, trimmed, bullet removed; owned */
    size_t n;
    uint32_t *cols;     /* cols[k]: column of s[k] in the raw line (1-based code points),
                           cols[n] the one after the end; owned */
    uint32_t line, col; /* 1-based; 'col' is cols[0] */
    uint8_t kind;       /* LN_* */
    uint8_t bullet;     /* started with a bullet mark */
    uint8_t index;      /* an index letter line (noise) */
    uint8_t head;       /* shaped like a term line: HEAD_* bits */
    uint8_t title;      /* names the page ("... Glossary") */
    uint8_t used;       /* read as part of a kept entry */
    uint16_t words;
} tline_t;

enum { ST_PAIR, ST_INLINE };

/* A candidate entry found by the scan, kept or dropped afterwards. */
typedef struct entry {
    size_t head;                /* line of the term */
    size_t alias_end;           /* alias lines are head+1 .. alias_end-1 */
    size_t def_first, def_last; /* ST_PAIR: the lines of the definition */
    size_t sep, rest;           /* ST_INLINE: the term is s[0, sep), the definition s + rest */
    uint8_t style;
    uint8_t missing;   /* a term line without a definition */
    uint8_t expansion; /* ST_INLINE: "ABBR - Full Form", no definition */
    uint8_t dropped;
} entry_t;

/* A form while building one draft. */
typedef struct tform {
    char *text; /* owned */
    gls_form_kind_t kind;
    uint32_t line, col;
} tform_t;

typedef struct ctx {
    gls_builder_t *b;
    const char *path;
    int errors;
    int relaxed; /* sentence-case term lines count too */
    tline_t *lines;
    size_t count, cap;
    entry_t *entries;
    size_t entry_count, entry_cap;
    tform_t *forms;
    size_t form_count, form_cap;
} ctx_t;

/* ---- characters ---- */

static int is_ascii_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_ascii_lower(int c)
{
    return c >= 'a' && c <= 'z';
}

static int is_ascii_alpha(int c)
{
    return is_ascii_upper(c) || is_ascii_lower(c);
}

static int is_ascii_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int to_lower(int c)
{
    return is_ascii_upper(c) ? c + ('a' - 'A') : c;
}

static uint32_t decode(const char *s, size_t n, size_t *used)
{
    uint32_t cp = 0xfffd;
    *used = n ? gls_utf8_decode((const unsigned char *)s, n, &cp) : 0;
    return cp;
}

/* Code points of white space that web pages use between words. */
static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == 0xa0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
           cp == 0x205f || cp == 0x3000;
}

/* Invisible code points, dropped. */
static int is_invisible_cp(uint32_t cp)
{
    return cp == 0x200b || cp == 0x200c || cp == 0x200d || cp == 0x2060 || cp == 0xfeff ||
           cp == 0xad;
}

static int is_upper_at(const char *s, size_t n)
{
    size_t k;
    uint32_t cp = decode(s, n, &k);
    return cp < 0x80 ? is_ascii_upper((int)cp) : gls_is_upper_cp(cp);
}

/* A letter with case that is not uppercase. */
static int is_lower_at(const char *s, size_t n)
{
    size_t k;
    uint32_t cp = decode(s, n, &k);
    if (cp < 0x80)
        return is_ascii_lower((int)cp);
    return gls_is_word_cp(cp) && !gls_is_cjk_cp(cp) && !gls_is_upper_cp(cp) &&
           gls_fold_cp(cp) == cp && cp != 0xfffd;
}

static int is_letter_at(const char *s, size_t n)
{
    size_t k;
    uint32_t cp = decode(s, n, &k);
    return cp < 0x80 ? is_ascii_alpha((int)cp) : gls_is_word_cp(cp) && cp != 0xfffd;
}

static int starts_with(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s, p, m) == 0;
}

static int ends_with(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s + n - m, p, m) == 0;
}

static int ascii_ieq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (to_lower((unsigned char)a[i]) != to_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

static int ascii_ieq2(const char *a, const char *b)
{
    return ascii_ieq(a, strlen(a), b);
}

/* Trims spaces from both ends of s[*a, *b). */
static void trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && s[*a] == ' ')
        (*a)++;
    while (*b > *a && s[*b - 1] == ' ')
        (*b)--;
}

/* ---- words ---- */

/* Words that stay lowercase inside a title-case term. */
static const char *const small_words[] = {
    "a",  "an", "and",  "as",  "at",   "by",  "de", "for", "from", "in",  "into", "nor",    "of",
    "on", "or", "over", "per", "than", "the", "to", "via", "vs",   "vs.", "with", "without"};

static int is_small_word(const char *w, size_t n)
{
    if (n > 7)
        return 0; /* longer than any of them */
    for (size_t i = 0; i < GLS_ARRAY_LEN(small_words); i++)
        if (ascii_ieq(w, n, small_words[i]))
            return 1;
    return 0;
}

/* Words that name a glossary page and its intro ("Customer Success
 * Glossary", "definitions of 45 terms") rather than a term in it. */
static const char *const page_words[] = {"glossary", "glossaries", "dictionary",  "terminology",
                                         "lexicon",  "vocabulary", "definitions", "terms"};

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
            w++;
    return w;
}

/* True when s[0, n) contains one of 'page_words' as a whole word. */
static int has_page_word(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && !is_ascii_alpha((unsigned char)s[i]))
            i++;
        size_t a = i;
        while (i < n && is_ascii_alpha((unsigned char)s[i]))
            i++;
        for (size_t k = 0; a < i && k < GLS_ARRAY_LEN(page_words); k++)
            if (ascii_ieq(s + a, i - a, page_words[k]))
                return 1;
    }
    return 0;
}

/* True when s[0, n) ends a sentence: '.', '!', '?' or an ellipsis, before
 * closing quotes or brackets. */
static int ends_sentence(const char *s, size_t n)
{
    while (n) {
        if (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')' || s[n - 1] == ']')
            n--;
        else if (ends_with(s, n, "\xe2\x80\x9d") || ends_with(s, n, "\xe2\x80\x99"))
            n -= 3;
        else
            break;
    }
    if (!n)
        return 0;
    return s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' || ends_with(s, n, "\xe2\x80\xa6");
}

/* Title case: every word but the small ones starts with a capital or a
 * digit, or has a capital inside (tNPS); words after a hyphen and symbols
 * standing alone (&, /) do not count. The first word must have a capital
 * or a digit. 'sentence': only the first word is checked. */
static int title_case(const char *s, size_t n, int sentence)
{
    size_t i = 0, k = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t a = i;
        while (i < n && s[i] != ' ')
            i++;
        if (a == i)
            break;
        size_t w = a;
        /* Opening quotes and brackets before the word. */
        while (w < i && (s[w] == '(' || s[w] == '[' || s[w] == '"' || s[w] == '\''))
            w++;
        if (w + 3 <= i && (starts_with(s + w, i - w, "\xe2\x80\x9c") ||
                           starts_with(s + w, i - w, "\xe2\x80\x98")))
            w += 3;
        int upper_inside = 0, letter = 0, digit = 0;
        for (size_t j = w; j < i;) {
            size_t used;
            decode(s + j, i - j, &used);
            if (is_upper_at(s + j, i - j))
                upper_inside = 1;
            if (is_letter_at(s + j, i - j))
                letter = 1;
            if (is_ascii_digit((unsigned char)s[j]))
                digit = 1;
            j += used;
        }
        int ok;
        if (w == i || (!letter && !digit))
            ok = k > 0; /* a symbol standing as a word */
        else if (is_ascii_digit((unsigned char)s[w]) || is_upper_at(s + w, i - w))
            ok = 1;
        else if (upper_inside)
            ok = 1;
        else if (!is_lower_at(s + w, i - w))
            ok = 1; /* a script without case */
        else
            ok = k > 0 && (sentence || is_small_word(s + w, i - w));
        if (!ok)
            return 0;
        k++;
    }
    return k > 0;
}

/* Shaped like a term line: short, title case (or, when 'relaxed', sentence
 * case and shorter still), no sentence punctuation at the end (a trailing
 * colon is allowed: "Churn:"). */
static int head_shaped(const char *s, size_t n, int relaxed)
{
    if (n > 0 && s[n - 1] == ':')
        n--;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n == 0 || n > HEAD_MAX_BYTES || count_words(s, n) > HEAD_MAX_WORDS)
        return 0;
    char last = s[n - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' || last == '?' ||
        ends_with(s, n, "\xe2\x80\xa6"))
        return 0;
    int letter = 0;
    for (size_t i = 0; i < n && !letter; i++)
        letter = is_letter_at(s + i, n - i);
    return letter && (title_case(s, n, 0) ||
                      (relaxed && count_words(s, n) <= SOFT_HEAD_MAX_WORDS && title_case(s, n, 1)));
}

/* Shaped like an acronym: one word, two or more capitals, at least as many
 * capitals as lowercase letters (NRR, KPIs, SaaS, DAU/MAU). */
static int acronym_shaped(const char *s, size_t n)
{
    size_t upper = 0, lower = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ')
            return 0;
        if (is_ascii_upper(c))
            upper++;
        else if (is_ascii_lower(c))
            lower++;
    }
    return upper >= 2 && upper >= lower;
}

/* The letters and digits of s[0, n), lowercased, into out[0, cap);
 * '*first' gets the number of them in the first word (words are separated
 * by spaces, hyphens and slashes). Returns the count, or cap + 1 when it
 * does not fit. */
static size_t letters_of(const char *s, size_t n, char *out, size_t cap, size_t *first,
                         size_t *words)
{
    size_t m = 0, w = 0;
    int in_word = 0;
    *first = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '/' || c == '(' || c == ')') {
            in_word = 0;
            continue;
        }
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c < 0x80)
            continue;
        if (!in_word)
            w++;
        in_word = 1;
        if (m == cap)
            return cap + 1;
        out[m++] = (char)to_lower(c);
        if (w == 1)
            *first = m;
    }
    if (words)
        *words = w;
    return m;
}

/* True when 'a' can be a short form of 'b': the letters of 'a', in order,
 * occur in 'b', the first of them in b's first word, and 'b' has several
 * words and more letters (CES, Customer Effort Score; CS Ops, Customer
 * Success Operations; X-Score, Experience Score). */
static int abbreviates(const char *a, size_t an, const char *b, size_t bn)
{
    char la[64], lb[512];
    size_t fa, fb, wa, wb;
    size_t na = letters_of(a, an, la, sizeof la, &fa, &wa);
    size_t nb = letters_of(b, bn, lb, sizeof lb, &fb, &wb);
    if (na < 2 || na > sizeof la || nb > sizeof lb || na >= nb || wb < 2 || wa > wb)
        return 0;
    size_t j = 0;
    while (j < fb && lb[j] != la[0])
        j++;
    if (j == fb)
        return 0;
    j++;
    for (size_t i = 1; i < na; i++) {
        while (j < nb && lb[j] != la[i])
            j++;
        if (j == nb)
            return 0;
        j++;
    }
    return 1;
}

/* True when two forms share a word other than a small one. */
static int share_word(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0;
    while (i < an) {
        while (i < an && !is_ascii_alpha((unsigned char)a[i]) &&
               !is_ascii_digit((unsigned char)a[i]))
            i++;
        size_t s = i;
        while (i < an &&
               (is_ascii_alpha((unsigned char)a[i]) || is_ascii_digit((unsigned char)a[i])))
            i++;
        if (i - s < 2 || is_small_word(a + s, i - s))
            continue;
        size_t j = 0;
        while (j < bn) {
            while (j < bn && !is_ascii_alpha((unsigned char)b[j]) &&
                   !is_ascii_digit((unsigned char)b[j]))
                j++;
            size_t t = j;
            while (j < bn &&
                   (is_ascii_alpha((unsigned char)b[j]) || is_ascii_digit((unsigned char)b[j])))
                j++;
            if (j - t == i - s) {
                size_t k = 0;
                while (k < i - s &&
                       to_lower((unsigned char)a[s + k]) == to_lower((unsigned char)b[t + k]))
                    k++;
                if (k == i - s)
                    return 1;
            }
        }
    }
    return 0;
}

static int related(const char *a, size_t an, const char *b, size_t bn)
{
    return share_word(a, an, b, bn) || abbreviates(a, an, b, bn) || abbreviates(b, bn, a, an);
}

/* ---- separators ---- */

/* Finds the first separator between a term and what follows on the same
 * line: an en or em dash with a space on either side, a hyphen between
 * spaces, or a colon before a space; never inside parentheses. Sets
 * '*sep' to its start and '*rest' past it. */
static int find_sep(const char *s, size_t n, size_t *sep, size_t *rest)
{
    int depth = 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            depth -= depth > 0;
        } else if (depth) {
            continue;
        } else if (starts_with(s + i, n - i, "\xe2\x80\x93") ||
                   starts_with(s + i, n - i, "\xe2\x80\x94")) {
            int before = s[i - 1] == ' ', after = i + 3 < n && s[i + 3] == ' ';
            if (before || after) {
                *sep = i;
                *rest = i + 3;
                return 1;
            }
        } else if (c == '-' && s[i - 1] == ' ' && i + 1 < n && s[i + 1] == ' ') {
            *sep = i;
            *rest = i + 1;
            return 1;
        } else if (c == ':' && i + 1 < n && s[i + 1] == ' ') {
            *sep = i;
            *rest = i + 1;
            return 1;
        }
    }
    return 0;
}

/* ---- lines ---- */

static const char *const link_phrases[] = {
    "read more",    "learn more",    "read the full", "see more",  "view more", "continue reading",
    "see the full", "view the full", "find out more", "show more", "more info", "click here"};

static const char *const nav_lines[] = {"top of page",   "bottom of page",  "back to top",
                                        "scroll to top", "skip to content", "skip to main content",
                                        "return to top", "go to top",       "table of contents"};

static const char *const image_exts[] = {".jpg", ".jpeg", ".png", ".gif",  ".webp", ".avif",
                                         ".svg", ".bmp",  ".tif", ".tiff", ".ico"};

/* Index lines: one letter (A, B, ...), "#", "0-9", "A-Z", or a row of
 * single letters ("A B C D"). */
static int index_line(const char *s, size_t n)
{
    size_t used;
    uint32_t cp = decode(s, n, &used);
    if (used == n && n > 0)
        return (cp < 0x80 && (is_ascii_alpha((int)cp) || cp == '#')) ||
               (cp >= 0x80 && gls_is_upper_cp(cp));
    /* 0-9 and A-Z, with a hyphen or an en dash (U+2013, octal escapes so
     * that the 9 is not read as part of a hex escape). */
    static const char *const ranges[] = {"0-9", "a-z", "0\342\200\2239", "a\342\200\223z"};
    for (size_t i = 0; i < GLS_ARRAY_LEN(ranges); i++)
        if (ascii_ieq(s, n, ranges[i]))
            return 1;
    size_t singles = 0;
    for (size_t i = 0; i < n;) {
        size_t a = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i - a == 1 && (is_ascii_alpha((unsigned char)s[a]) || s[a] == '|' || s[a] == '#'))
            singles++;
        else
            return 0;
        while (i < n && s[i] == ' ')
            i++;
    }
    return singles >= 3;
}

/* Lines a page leaves behind: links ("Read the full page ->"), image
 * residue ("photo.avif)"), bare URLs and navigation ("top of page"). */
static int noise_line(const char *s, size_t n)
{
    size_t words = count_words(s, n);
    if (words <= 6) {
        static const char *const arrows[] = {
            "\xe2\x86\x92", "\xe2\x86\x97", "\xe2\x80\xba", "\xc2\xbb",
            "\xe2\x9f\xb6", "\xe2\x9e\x94", "\xe2\x9e\x9c", " >"};
        for (size_t i = 0; i < GLS_ARRAY_LEN(arrows); i++)
            if (ends_with(s, n, arrows[i]))
                return 1;
        for (size_t i = 0; i < GLS_ARRAY_LEN(link_phrases); i++) {
            size_t m = strlen(link_phrases[i]);
            if (n >= m && ascii_ieq(s, m, link_phrases[i]) &&
                (n == m || !is_ascii_alpha((unsigned char)s[m])))
                return 1;
        }
        for (size_t i = 0; i < GLS_ARRAY_LEN(nav_lines); i++)
            if (ascii_ieq(s, n, nav_lines[i]))
                return 1;
    }
    if (words == 1) {
        if (starts_with(s, n, "![") || starts_with(s, n, "http://") ||
            starts_with(s, n, "https://") || starts_with(s, n, "www."))
            return 1;
        size_t m = n;
        while (m && (s[m - 1] == ')' || s[m - 1] == ']' || s[m - 1] == '"' || s[m - 1] == '\''))
            m--;
        for (size_t i = 0; i < GLS_ARRAY_LEN(image_exts); i++) {
            size_t e = strlen(image_exts[i]);
            if (m >= e && ascii_ieq(s + m - e, e, image_exts[i]))
                return 1;
        }
    }
    return 0;
}

/* Length of a bullet mark at the start of s ("• ", "- ", "1. "), or 0. */
static size_t bullet_len(const char *s, size_t n)
{
    static const char *const marks[] = {"\xe2\x80\xa2",
                                        "\xc2\xb7",
                                        "\xe2\x96\xaa",
                                        "\xe2\x97\xa6",
                                        "\xe2\x80\xa3",
                                        "\xe2\x97\x8f",
                                        "\xe2\x97\x8b",
                                        "\xe2\x96\xa0",
                                        "\xe2\x80\x93",
                                        "\xe2\x80\x94",
                                        "-",
                                        "*",
                                        "+"};
    for (size_t i = 0; i < GLS_ARRAY_LEN(marks); i++) {
        size_t m = strlen(marks[i]);
        if (n > m + 1 && memcmp(s, marks[i], m) == 0 && s[m] == ' ')
            return m + 1;
    }
    size_t d = 0;
    while (d < n && d < 3 && is_ascii_digit((unsigned char)s[d]))
        d++;
    if (d && d + 2 < n && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ')
        return d + 2;
    return 0;
}

/* Cleans raw[0, n) into 'out': invalid UTF-8 and control characters become
 * U+FFFD and spaces, invisible characters go, runs of white space become
 * one space, both ends are trimmed. 'cols' gets the raw column (code
 * points, 1-based) of each byte written, plus one past the end; '*bad' the
 * column of the first invalid byte, or 0. */
static void clean_line(const char *raw, size_t n, gls_buf_t *out, gls_buf_t *cols, uint32_t *bad)
{
    uint32_t column = 0;
    int space = 0;
    *bad = 0;
    gls_buf_clear(out);
    gls_buf_clear(cols);
    for (size_t i = 0; i < n;) {
        size_t used;
        uint32_t cp = decode(raw + i, n - i, &used);
        column++;
        if (cp == 0xfffd && used == 1) {
            if (!*bad)
                *bad = column;
        } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            cp = ' ';
        }
        i += used;
        if (is_space_cp(cp)) {
            space = out->len > 0;
            continue;
        }
        if (is_invisible_cp(cp))
            continue;
        if (space) {
            gls_buf_putc(out, ' ');
            gls_buf_append(cols, &column, sizeof column);
        }
        space = 0;
        char enc[4];
        size_t k = gls_utf8_encode(cp, enc);
        gls_buf_append(out, enc, k);
        for (size_t j = 0; j < k; j++)
            gls_buf_append(cols, &column, sizeof column);
    }
    column++;
    gls_buf_append(cols, &column, sizeof column);
    if (!out->data)
        gls_buf_reserve(out, 1);
}

static void push_line(ctx_t *c, tline_t *l)
{
    if (c->count == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->lines = gls_xrealloc(c->lines, c->cap * sizeof *c->lines);
    }
    c->lines[c->count++] = *l;
}

/* Splits the text into cleaned, classified lines. A line ends at "\n",
 * "\r\n" or a lone "\r". */
static void read_lines(ctx_t *c, const char *text, size_t len)
{
    size_t i = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    uint32_t lineno = 0;
    gls_buf_t buf, cols;
    gls_buf_init(&buf);
    gls_buf_init(&cols);
    while (i < len) {
        size_t a = i;
        while (i < len && text[i] != '\n' && text[i] != '\r')
            i++;
        size_t e = i;
        if (i < len)
            i += (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') ? 2 : 1;
        lineno++;
        tline_t l;
        memset(&l, 0, sizeof l);
        uint32_t bad;
        clean_line(text + a, e - a, &buf, &cols, &bad);
        l.line = lineno;
        if (bad)
            gls_diags_add(gls_builder_diags(c->b), c->path, lineno, bad, GLS_SEV_WARNING,
                          "glossary-encoding",
                          "invalid UTF-8 on this line, read as U+FFFD replacement characters");
        size_t bl = bullet_len(buf.data, buf.len);
        l.bullet = bl > 0;
        l.s = gls_xstrndup(buf.data + bl, buf.len - bl);
        l.n = buf.len - bl;
        l.cols = gls_xmalloc((l.n + 1) * sizeof *l.cols);
        memcpy(l.cols, cols.data + bl * sizeof *l.cols, (l.n + 1) * sizeof *l.cols);
        l.col = l.cols[0];
        l.words = (uint16_t)(count_words(l.s, l.n) > 0xffff ? 0xffff : count_words(l.s, l.n));
        if (buf.len == 0) {
            l.kind = LN_BLANK;
        } else if (!l.bullet && index_line(l.s, l.n)) {
            l.kind = LN_NOISE;
            l.index = 1;
        } else if (!l.bullet && noise_line(l.s, l.n)) {
            l.kind = LN_NOISE;
        } else {
            l.kind = LN_TEXT;
            l.head = (uint8_t)((head_shaped(l.s, l.n, 0) ? HEAD_TITLE : 0) |
                               (head_shaped(l.s, l.n, 1) ? HEAD_SENTENCE : 0));
            l.title = (uint8_t)has_page_word(l.s, l.n);
        }
        push_line(c, &l);
    }
    gls_buf_close(&buf);
    gls_buf_close(&cols);
}

/* ---- entries ---- */

static int is_head(const ctx_t *c, const tline_t *l)
{
    return (l->head & (c->relaxed ? HEAD_SENTENCE : HEAD_TITLE)) != 0;
}

static void push_entry(ctx_t *c, const entry_t *e)
{
    if (c->entry_count == c->entry_cap) {
        c->entry_cap = c->entry_cap ? c->entry_cap * 2 : 64;
        c->entries = gls_xrealloc(c->entries, c->entry_cap * sizeof *c->entries);
    }
    c->entries[c->entry_count++] = *e;
}

/* Inline entry at line i: "Term – definition", "Term: definition", or an
 * expansion "ABBR - Full Form". Bullets need only a term before the
 * separator; plain lines need a definition of three words or a sentence. */
static int inline_at(const ctx_t *c, size_t i, entry_t *e)
{
    const tline_t *l = &c->lines[i];
    size_t sep, rest;
    if (l->kind != LN_TEXT || !find_sep(l->s, l->n, &sep, &rest))
        return 0;
    size_t ta = 0, tb = sep, ra = rest, rb = l->n;
    trim(l->s, &ta, &tb);
    trim(l->s, &ra, &rb);
    if (ta == tb || ra == rb || !head_shaped(l->s + ta, tb - ta, c->relaxed))
        return 0;
    memset(e, 0, sizeof *e);
    e->style = ST_INLINE;
    e->head = i;
    e->sep = tb;
    e->rest = ra;
    if (head_shaped(l->s + ra, rb - ra, c->relaxed) &&
        abbreviates(l->s + ta, tb - ta, l->s + ra, rb - ra)) {
        e->expansion = 1;
        return 1;
    }
    size_t words = count_words(l->s + ra, rb - ra);
    return l->bullet || words >= 3 || ends_sentence(l->s + ra, rb - ra);
}

/* True when line j can go on a definition paragraph ending at line j-1:
 * any text but a term line, and bullets only in a list that the paragraph
 * opened with a colon. A line such as "Example: ..." stays in the
 * definition. */
static int continues(const ctx_t *c, size_t j)
{
    const tline_t *l = &c->lines[j], *prev = &c->lines[j - 1];
    if (l->kind != LN_TEXT || is_head(c, l))
        return 0;
    if (l->bullet)
        return (prev->n && prev->s[prev->n - 1] == ':') || (prev->bullet && prev->used == 2);
    return 1;
}

/* Pair entry at line i: a term line, alias lines right under it, then
 * (after blank or noise lines) a definition paragraph. */
static int pair_at(ctx_t *c, size_t i, entry_t *e)
{
    const tline_t *h = &c->lines[i];
    if (h->kind != LN_TEXT || !is_head(c, h))
        return 0;
    memset(e, 0, sizeof *e);
    e->style = ST_PAIR;
    e->head = i;
    size_t j = i + 1;
    while (j < c->count && j - i - 1 < ALIAS_MAX && c->lines[j].kind == LN_TEXT &&
           is_head(c, &c->lines[j]) && !c->lines[j].bullet) {
        int rel = 0;
        for (size_t k = i; k < j && !rel; k++)
            rel = related(c->lines[k].s, c->lines[k].n, c->lines[j].s, c->lines[j].n);
        if (!rel)
            break;
        j++;
    }
    e->alias_end = j;
    size_t k = j;
    while (k < c->count && c->lines[k].kind != LN_TEXT)
        k++;
    if (k == c->count || c->lines[k].bullet || (is_head(c, &c->lines[k]) && c->lines[k].words < 8))
        return 0;
    e->def_first = k;
    /* The paragraph runs on while lines continue it; lines are marked as
     * they are taken so that 'continues' can tell a bullet list opened by
     * a colon. It is a definition when, taken whole, it reads as one: a
     * sentence of three words or more, or six words or more. */
    size_t words = c->lines[k].words;
    c->lines[k].used = 2;
    while (k + 1 < c->count && continues(c, k + 1)) {
        k++;
        c->lines[k].used = 2;
        words += c->lines[k].words;
    }
    for (size_t m = e->def_first; m <= k; m++)
        c->lines[m].used = 0;
    e->def_last = k;
    return words >= 3 && (words >= 6 || ends_sentence(c->lines[k].s, c->lines[k].n));
}

static void scan(ctx_t *c)
{
    for (size_t i = 0; i < c->count;) {
        const tline_t *l = &c->lines[i];
        entry_t e;
        if (l->kind != LN_TEXT) {
            i++;
        } else if (pair_at(c, i, &e)) {
            push_entry(c, &e);
            i = e.def_last + 1;
        } else if (inline_at(c, i, &e)) {
            push_entry(c, &e);
            i++;
        } else if (is_head(c, l)) {
            memset(&e, 0, sizeof e);
            e.head = i;
            e.missing = 1;
            e.style = l->bullet ? ST_INLINE : ST_PAIR;
            push_entry(c, &e);
            i++;
        } else {
            i++;
        }
    }
}

/* Drops what is page furniture rather than glossary: the page title with
 * its intro, entries before the index letters, and entries of another
 * layout than the page's own (a product blurb under a bullet glossary). */
static void filter(ctx_t *c)
{
    entry_t *v = c->entries;
    size_t n = c->entry_count;
    /* The first entry naming the page ("Customer Success Glossary" and its
     * intro sentence). */
    for (size_t i = 0; i < n; i++) {
        if (v[i].missing)
            continue;
        if (c->lines[v[i].head].title && v[i].style == ST_PAIR && c->lines[v[i].def_first].title)
            v[i].dropped = 1;
        break;
    }
    /* One or two entries before the first index letter, many after: a
     * title and an intro. */
    size_t first_index = c->count;
    for (size_t i = 0; i < c->count && first_index == c->count; i++)
        if (c->lines[i].index)
            first_index = i;
    size_t before = 0, after = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i].missing && !v[i].dropped)
            *(v[i].head < first_index ? &before : &after) += 1;
    if (before > 0 && before <= 2 && after >= 3)
        for (size_t i = 0; i < n; i++)
            if (v[i].head < first_index)
                v[i].dropped = 1;
    /* The page's layout. */
    size_t count[2] = {0, 0};
    for (size_t i = 0; i < n; i++)
        if (!v[i].missing && !v[i].dropped)
            count[v[i].style]++;
    int minority = -1;
    if (count[ST_PAIR] && count[ST_PAIR] * 5 < count[ST_INLINE])
        minority = ST_PAIR;
    else if (count[ST_INLINE] && count[ST_INLINE] * 5 < count[ST_PAIR])
        minority = ST_INLINE;
    else if (!count[ST_PAIR] && count[ST_INLINE])
        minority = ST_PAIR;
    else if (!count[ST_INLINE] && count[ST_PAIR])
        minority = ST_INLINE;
    for (size_t i = 0; i < n; i++)
        if (v[i].style == minority)
            v[i].dropped = 1;
    /* Term lines without a definition before the first entry: page title. */
    for (size_t i = 0; i < n && (v[i].missing || v[i].dropped); i++)
        v[i].dropped = 1;
}

/* Scans and filters the entries afresh; returns how many have a
 * definition and are kept. */
static size_t read_entries(ctx_t *c, int relaxed)
{
    c->relaxed = relaxed;
    c->entry_count = 0;
    scan(c);
    filter(c);
    size_t kept = 0;
    for (size_t i = 0; i < c->entry_count; i++)
        kept += !c->entries[i].dropped && !c->entries[i].missing;
    return kept;
}

/* ---- drafts ---- */

static void forms_clear(ctx_t *c)
{
    for (size_t i = 0; i < c->form_count; i++)
        free(c->forms[i].text);
    c->form_count = 0;
}

/* Column of s + off on line 'l'. */
static uint32_t col_at(const tline_t *l, size_t off)
{
    return l->cols[off < l->n ? off : l->n];
}

/* Adds a form unless it is empty or already there (ignoring case). */
static void add_form(ctx_t *c, const tline_t *l, size_t off, const char *s, size_t n,
                     gls_form_kind_t kind)
{
    size_t a = 0, b = n;
    trim(s, &a, &b);
    while (b > a && s[b - 1] == ':')
        b--;
    trim(s, &a, &b);
    if (a == b)
        return;
    char *t = gls_xstrndup(s + a, b - a);
    for (size_t i = 0; i < c->form_count; i++) {
        if (ascii_ieq2(c->forms[i].text, t)) {
            free(t);
            return;
        }
    }
    if (c->form_count == c->form_cap) {
        c->form_cap = c->form_cap ? c->form_cap * 2 : 8;
        c->forms = gls_xrealloc(c->forms, c->form_cap * sizeof *c->forms);
    }
    tform_t *f = &c->forms[c->form_count++];
    f->text = t;
    f->kind = kind;
    f->line = l->line;
    f->col = col_at(l, off + a);
}

static int has_term(const ctx_t *c)
{
    for (size_t i = 0; i < c->form_count; i++)
        if (c->forms[i].kind == GLS_FORM_TERM)
            return 1;
    return 0;
}

static gls_form_kind_t short_kind(const char *s, size_t n)
{
    return acronym_shaped(s, n) ? GLS_FORM_ABBREV : GLS_FORM_ALIAS;
}

/* Adds the forms of one term text: "Term", "Term (ABBR)", "ABBR (Term)",
 * "Term (ABBR) Qualifier", "Term in Context". s[0, n) lies on line 'l' at
 * byte 'off'. A parenthesis that is no other form of the term is left out
 * and said so. */
static void core_forms(ctx_t *c, const tline_t *l, size_t off, const char *s, size_t n)
{
    size_t open = 0;
    while (open < n && s[open] != '(')
        open++;
    if (open == 0 || open == n) {
        /* "Negative Churn in SaaS": a context after 'in' is not part of the
         * term when two or more words stand before it. */
        size_t w = count_words(s, n);
        if (w >= 4) {
            size_t last = n;
            while (last > 0 && s[last - 1] != ' ')
                last--;
            if (last >= 4 && memcmp(s + last - 4, " in ", 4) == 0 &&
                is_upper_at(s + last, n - last)) {
                add_form(c, l, off, s, last - 4, GLS_FORM_TERM);
                return;
            }
        }
        add_form(c, l, off, s, n, has_term(c) ? GLS_FORM_ALIAS : GLS_FORM_TERM);
        return;
    }
    size_t close = open + 1;
    while (close < n && s[close] != ')')
        close++;
    size_t ba = 0, bb = open, pa = open + 1, pb = close, aa = close < n ? close + 1 : n, ab = n;
    trim(s, &ba, &bb);
    trim(s, &pa, &pb);
    trim(s, &aa, &ab);
    const char *B = s + ba, *P = s + pa;
    size_t bn = bb - ba, pn = pb - pa;
    if (pn && abbreviates(P, pn, B, bn)) {
        add_form(c, l, off + ba, B, bn, GLS_FORM_TERM);
        add_form(c, l, off + pa, P, pn, short_kind(P, pn));
        if (aa < ab) {
            char *full = gls_xasprintf("%.*s %.*s", (int)bn, B, (int)(ab - aa), s + aa);
            add_form(c, l, off + ba, full, strlen(full), GLS_FORM_ALIAS);
            free(full);
        }
    } else if (pn && abbreviates(B, bn, P, pn)) {
        add_form(c, l, off + pa, P, pn, GLS_FORM_TERM);
        add_form(c, l, off + ba, B, bn, short_kind(B, bn));
    } else {
        if (pn)
            gls_diags_add(gls_builder_diags(c->b), c->path, l->line, col_at(l, off + pa),
                          GLS_SEV_INFO, "glossary-text-ignored",
                          "'%.*s' in parentheses is not a form of '%.*s'; left out", (int)pn, P,
                          (int)bn, B);
        if (aa < ab) {
            char *full = gls_xasprintf("%.*s %.*s", (int)bn, B, (int)(ab - aa), s + aa);
            add_form(c, l, off + ba, full, strlen(full), GLS_FORM_TERM);
            free(full);
        } else {
            add_form(c, l, off + ba, B, bn, GLS_FORM_TERM);
        }
    }
}

/* Adds the forms of a term line: "ABBR - Full Form" and "Term: Subtitle"
 * split at the separator; the subtitle is left out. */
static void head_forms(ctx_t *c, const tline_t *l, size_t n)
{
    size_t sep, rest;
    if (find_sep(l->s, n, &sep, &rest)) {
        size_t la = 0, lb = sep, ra = rest, rb = n;
        trim(l->s, &la, &lb);
        trim(l->s, &ra, &rb);
        if (la < lb && ra < rb) {
            const char *L = l->s + la, *R = l->s + ra;
            if (abbreviates(L, lb - la, R, rb - ra)) {
                core_forms(c, l, ra, R, rb - ra);
                add_form(c, l, la, L, lb - la, short_kind(L, lb - la));
            } else if (abbreviates(R, rb - ra, L, lb - la)) {
                core_forms(c, l, la, L, lb - la);
                add_form(c, l, ra, R, rb - ra, short_kind(R, rb - ra));
            } else {
                core_forms(c, l, la, L, lb - la);
            }
            return;
        }
    }
    core_forms(c, l, 0, l->s, n);
}

/* Splits an alias line where forms were glued when the page was copied
 * ("Net Revenue RetentionNet Dollar RetentionNDR"): after a capitalised
 * word of four or more letters running into a capital, and after a run
 * of capitals running into a capitalised word. Each piece is an alias, or
 * an abbreviation when shaped like one. */
static void alias_forms(ctx_t *c, const tline_t *l)
{
    const char *s = l->s;
    size_t n = l->n, start = 0, word = 0;
    for (size_t i = 1; i <= n; i++) {
        int cut = 0;
        if (i < n && s[i] == ' ') {
            word = i + 1;
            continue;
        }
        if (i < n && is_ascii_upper((unsigned char)s[i])) {
            /* "RetentionNet": Capital, three or more lowercase, capital. */
            size_t k = word;
            if (k < i && is_ascii_upper((unsigned char)s[k])) {
                k++;
                while (k < i && is_ascii_lower((unsigned char)s[k]))
                    k++;
                cut = k == i && i - word >= 4;
            }
            /* "EBRExecutive": capitals, then a capital starting a word
             * (three lowercase letters, so that "KPIs" stays whole). */
            if (!cut && i + 3 < n && is_ascii_lower((unsigned char)s[i + 1]) &&
                is_ascii_lower((unsigned char)s[i + 2]) &&
                is_ascii_lower((unsigned char)s[i + 3]) && i - word >= 2) {
                k = word;
                while (k < i && is_ascii_upper((unsigned char)s[k]))
                    k++;
                cut = k == i;
            }
        }
        if (cut || i == n) {
            gls_form_kind_t kind = short_kind(s + start, i - start);
            add_form(c, l, start, s + start, i - start, kind);
            start = i;
            word = i;
        }
    }
}

static void emit(ctx_t *c, const entry_t *e)
{
    tline_t *h = &c->lines[e->head];
    gls_buf_t def;
    gls_buf_init(&def);
    forms_clear(c);
    if (e->style == ST_INLINE) {
        if (e->expansion) {
            add_form(c, h, e->rest, h->s + e->rest, h->n - e->rest, GLS_FORM_TERM);
            add_form(c, h, 0, h->s, e->sep, short_kind(h->s, e->sep));
        } else {
            core_forms(c, h, 0, h->s, e->sep);
            gls_buf_append(&def, h->s + e->rest, h->n - e->rest);
        }
    } else {
        head_forms(c, h, h->n);
        /* A bare acronym on the term line, its expansion on an alias line:
         * the expansion is the term. */
        int bare = c->form_count == 1 && acronym_shaped(c->forms[0].text, strlen(c->forms[0].text));
        for (size_t j = e->head + 1; j < e->alias_end; j++) {
            size_t before = c->form_count;
            alias_forms(c, &c->lines[j]);
            for (size_t k = before; k < c->form_count && bare; k++) {
                if (abbreviates(c->forms[0].text, strlen(c->forms[0].text), c->forms[k].text,
                                strlen(c->forms[k].text))) {
                    c->forms[0].kind = GLS_FORM_ABBREV;
                    c->forms[k].kind = GLS_FORM_TERM;
                    bare = 0;
                }
            }
            c->lines[j].used = 1;
        }
        for (size_t j = e->def_first; j <= e->def_last; j++) {
            const tline_t *d = &c->lines[j];
            if (def.len)
                gls_buf_puts(&def, d->bullet && c->lines[j - 1].bullet ? "; " : " ");
            gls_buf_append(&def, d->s, d->n);
            c->lines[j].used = 1;
        }
    }
    h->used = 1;
    const char *term = NULL;
    gls_draft_form_t *forms = gls_xcalloc(c->form_count + 1, sizeof *forms);
    size_t nf = 0;
    for (size_t i = 0; i < c->form_count; i++) {
        const tform_t *f = &c->forms[i];
        if (f->kind == GLS_FORM_TERM && !term) {
            term = f->text;
            continue;
        }
        forms[nf++] = (gls_draft_form_t){
            f->text, f->kind == GLS_FORM_TERM ? GLS_FORM_ALIAS : f->kind, 0, NULL, NULL, f->line,
            f->col};
    }
    if (!term && nf) {
        /* Only short forms: the first stands as the term. */
        term = forms[0].text;
        memmove(forms, forms + 1, --nf * sizeof *forms);
    }
    gls_draft_t d;
    memset(&d, 0, sizeof d);
    d.term = term;
    d.definition = def.data ? def.data : "";
    d.line = h->line;
    d.column = h->col;
    d.forms = forms;
    d.form_count = nf;
    if (term)
        gls_builder_add(c->b, &d);
    free(forms);
    gls_buf_close(&def);
}

int gls_load_text(gls_builder_t *b, const char *path, const char *text, size_t len)
{
    ctx_t c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.path = path;
    if (!text)
        len = 0;
    read_lines(&c, text, len);
    /* Term lines are first taken in title case only. A page whose terms are
     * in sentence case ("Churn rate") reads better with those too: then
     * clearly more entries come out. */
    size_t strict = read_entries(&c, 0);
    size_t relaxed = read_entries(&c, 1);
    if (relaxed < 3 || relaxed * 4 <= strict * 5)
        read_entries(&c, 0);
    size_t kept = 0, first = c.count, last = 0;
    for (size_t i = 0; i < c.entry_count; i++) {
        const entry_t *e = &c.entries[i];
        if (e->dropped)
            continue;
        const tline_t *h = &c.lines[e->head];
        if (e->missing) {
            gls_diags_add(gls_builder_diags(b), path, h->line, h->col, GLS_SEV_ERROR,
                          "glossary-missing-definition",
                          "'%s' looks like a term but no definition follows it", h->s);
            c.lines[e->head].used = 1;
            c.errors++;
            continue;
        }
        emit(&c, e);
        kept++;
        if (e->head < first)
            first = e->head;
        size_t end = e->style == ST_PAIR ? e->def_last : e->head;
        if (end > last)
            last = end;
    }
    /* Text between the first and the last entry that was read as neither:
     * say so rather than lose it silently. Before and after lie the page's
     * own header and footer. */
    for (size_t i = first; i < last && kept; i++) {
        const tline_t *l = &c.lines[i];
        if (l->kind == LN_TEXT && !l->used)
            gls_diags_add(gls_builder_diags(b), path, l->line, l->col, GLS_SEV_WARNING,
                          "glossary-text-ignored",
                          "line read as neither a term nor a definition; ignored");
    }
    if (!kept)
        gls_diags_add(gls_builder_diags(b), path, 1, 1, GLS_SEV_WARNING, "glossary-empty",
                      "no term with a definition found in this file");
    forms_clear(&c);
    free(c.forms);
    for (size_t i = 0; i < c.count; i++) {
        free(c.lines[i].s);
        free(c.lines[i].cols);
    }
    free(c.lines);
    free(c.entries);
    return c.errors;
}
