/* rename.c: writing a renamed form the way each use wrote the old one. */
#include "gls/rename.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gls/matcher.h"
#include "gls/position.h"
#include "gls/util.h"

/* Only ASCII letters change case here: the forms people rename are English
 * terms and acronyms, and a wrong guess for another script would corrupt
 * the word, while leaving it alone only misses a capital. */
static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_vowel(char c)
{
    return strchr("aeiouAEIOU", c) != NULL;
}

char *gls_pluralize(const char *word)
{
    size_t n = strlen(word);
    if (n == 0)
        return gls_xstrdup("");
    int shout = 1;
    for (size_t i = 0; i < n; i++)
        if (is_lower(word[i]))
            shout = 0;
    char last = word[n - 1], before = n > 1 ? word[n - 2] : '\0';
    /* NRR -> NRRs: acronyms take a lower-case s, however they end. */
    if (shout && is_upper(last))
        return gls_xasprintf("%ss", word);
    if (last == 'y' && n > 1 && !is_vowel(before) && isalpha((unsigned char)before))
        return gls_xasprintf("%.*sies", (int)(n - 1), word);
    if (last == 's' || last == 'x' || last == 'z' ||
        ((last == 'h') && (before == 'c' || before == 's')))
        return gls_xasprintf("%ses", word);
    return gls_xasprintf("%ss", word);
}

const char *gls_rename_invalid(const char *new_name)
{
    size_t n = strlen(new_name);
    if (n == 0)
        return "the new name is empty";
    if (n > 200)
        return "the new name is longer than 200 bytes";
    if (!gls_utf8_valid(new_name, n))
        return "the new name is not valid UTF-8";
    if (strpbrk(new_name, "\r\n\t") != NULL)
        return "the new name spans lines or holds a tab";
    if (new_name[0] == ' ' || new_name[n - 1] == ' ')
        return "the new name starts or ends with a space";
    int letters = 0;
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)new_name[i]) || (unsigned char)new_name[i] >= 0x80)
            letters = 1;
    if (!letters)
        return "the new name has no letters or digits";
    return NULL;
}

typedef enum { CASE_AS_IS, CASE_LOWER, CASE_UPPER, CASE_FIRST_UP, CASE_TITLE } case_style_t;

/* How 'use' (the form's base, suffixes removed) is capitalized compared
 * with the form as the glossary writes it. */
static case_style_t case_style(const char *use, size_t n, const char *form)
{
    size_t fn = strlen(form);
    if (n == fn && memcmp(use, form, n) == 0)
        return CASE_AS_IS;
    int upper = 0, lower = 0, words = 0, words_up = 0, start = 1;
    for (size_t i = 0; i < n; i++) {
        char c = use[i];
        if (is_upper(c))
            upper++;
        else if (is_lower(c))
            lower++;
        if (start && (is_upper(c) || is_lower(c))) {
            words++;
            words_up += is_upper(c);
            start = 0;
        } else if (c == ' ' || c == '-') {
            start = 1;
        }
    }
    if (upper == 0)
        return CASE_LOWER;
    if (lower == 0 && upper > 1)
        return CASE_UPPER;
    if (words > 1 && words_up == words)
        return CASE_TITLE;
    size_t i = 0;
    while (i < n && !is_upper(use[i]) && !is_lower(use[i]))
        i++;
    if (i < n && is_upper(use[i]) && upper == 1)
        return CASE_FIRST_UP;
    return CASE_AS_IS;
}

/* Whether the word of 'name' starting at 'i' is shaped like an acronym
 * (two capitals or more, no lower case): those keep their case. */
static int acronym_word(const char *name, size_t i)
{
    int upper = 0;
    for (; name[i] && name[i] != ' ' && name[i] != '-'; i++) {
        if (is_lower(name[i]))
            return 0;
        upper += is_upper(name[i]);
    }
    return upper >= 2;
}

static void apply_case(char *name, case_style_t style)
{
    int start = 1, keep = 0;
    int first = 1;
    for (size_t i = 0; name[i]; i++) {
        char c = name[i];
        if (c == ' ' || c == '-') {
            start = 1;
            continue;
        }
        if (start) {
            keep = acronym_word(name, i);
            start = 0;
        }
        int letter = is_upper(c) || is_lower(c);
        switch (style) {
        case CASE_AS_IS:
            break;
        case CASE_UPPER:
            if (is_lower(c))
                name[i] = (char)(c - 'a' + 'A');
            break;
        case CASE_LOWER:
            if (!keep && is_upper(c))
                name[i] = (char)(c - 'A' + 'a');
            break;
        case CASE_FIRST_UP:
            if (first && is_lower(c))
                name[i] = (char)(c - 'a' + 'A');
            else if (!first && !keep && is_upper(c))
                name[i] = (char)(c - 'A' + 'a');
            break;
        case CASE_TITLE:
            if (letter && (i == 0 || name[i - 1] == ' ' || name[i - 1] == '-') && is_lower(c))
                name[i] = (char)(c - 'a' + 'A');
            break;
        }
        if (letter)
            first = 0;
    }
}

/* The possessive ending of 'use', if any: 's, ’s, ' or ’ (after an s). */
static size_t possessive_len(const char *use, size_t n)
{
    if (n >= 2 && use[n - 2] == '\'' && (use[n - 1] == 's' || use[n - 1] == 'S'))
        return 2;
    if (n >= 4 && memcmp(use + n - 4, "\xe2\x80\x99", 3) == 0 &&
        (use[n - 1] == 's' || use[n - 1] == 'S'))
        return 4;
    if (n >= 1 && use[n - 1] == '\'')
        return 1;
    if (n >= 3 && memcmp(use + n - 3, "\xe2\x80\x99", 3) == 0)
        return 3;
    return 0;
}

/* Bytes at the end of the plural 'use' that the plural added to 'form':
 * "s", "es", or "ies" for a final y. */
static size_t plural_len(const char *use, size_t n, const char *form)
{
    size_t fn = strlen(form);
    if (fn && (form[fn - 1] == 'y' || form[fn - 1] == 'Y') && n >= 3 &&
        strncasecmp(use + n - 3, "ies", 3) == 0)
        return 3;
    if (n >= 2 && strncasecmp(use + n - 2, "es", 2) == 0 && n - 2 == fn)
        return 2;
    if (n >= 1 && (use[n - 1] == 's' || use[n - 1] == 'S'))
        return 1;
    return 0;
}

char *gls_rename_use(const char *use, size_t use_len, const gls_form_t *form, uint16_t flags,
                     const char *new_name)
{
    size_t n = use_len;
    size_t poss = (flags & GLS_MATCH_POSSESSIVE) ? possessive_len(use, n) : 0;
    const char *poss_text = use + n - poss;
    n -= poss;
    /* "customers'": the apostrophe alone follows a plural s. */
    int plural = (flags & GLS_MATCH_PLURAL) != 0;
    size_t pl = plural ? plural_len(use, n, form->text) : 0;
    int upper_suffix = pl && is_upper(use[n - 1]);
    n -= pl;
    char *name = gls_xstrdup(new_name);
    if (flags & GLS_MATCH_HYPHENATED)
        for (char *p = name; *p; p++)
            if (*p == ' ')
                *p = '-';
    if (flags & GLS_MATCH_SPACED)
        for (char *p = name; *p; p++)
            if (*p == '-')
                *p = ' ';
    if (!(form->flags & GLS_FORM_CASE_SENSITIVE))
        apply_case(name, case_style(use, n, form->text));
    if (plural) {
        char *p = gls_pluralize(name);
        if (upper_suffix)
            for (char *q = p + strlen(name); *q; q++)
                if (is_lower(*q))
                    *q = (char)(*q - 'a' + 'A');
        free(name);
        name = p;
    }
    char *out = gls_xasprintf("%s%.*s", name, (int)poss, poss_text);
    free(name);
    return out;
}
