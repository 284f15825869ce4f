/* load_vale_vocab.c: Vale vocabularies, <StylesPath>/config/vocabularies/
 * <Name>/accept.txt and reject.txt: one word, phrase or regular expression
 * per line, '#' starting a comment line, "(?i)" making an entry ignore
 * case (entries are case-sensitive otherwise). As Vale applies them:
 * accept.txt entries are the right spellings (Vale.Terms flags any other
 * case of them; here the acronym-case rule for words, exact-case patterns
 * for regular expressions) and need no definition; reject.txt entries are
 * flagged wherever they occur (Vale.Avoid; here avoid-term). */
#include <stdio.h>
#include <string.h>

#include "gls/loader.h"
#include "gls/position.h"
#include "gls/regex.h"
#include "gls/util.h"
#include "gls/vocab.h"

/* The vocabulary's name: the folder the file is in. */
static void vocab_name(const char *path, char *out, size_t size)
{
    const char *end = path ? strrchr(path, '/') : NULL;
    const char *start = end;
    while (start && start > path && start[-1] != '/')
        start--;
    if (!end || start == end)
        snprintf(out, size, "%s", "the vocabulary");
    else
        snprintf(out, size, "vocabulary %.*s", (int)(end - start), start);
}

int gls_load_vale_vocab(gls_builder_t *b, const char *path, const char *text, size_t len,
                        int reject)
{
    char name[160], why[200], origin[200];
    vocab_name(path, name, sizeof name);
    snprintf(why, sizeof why, "rejected by Vale %s", name);
    snprintf(origin, sizeof origin, "Vale %s", name);
    int errors = 0;
    size_t i = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
    uint32_t line = 0;
    while (i < len) {
        line++;
        size_t start = i;
        while (i < len && text[i] != '\n')
            i++;
        size_t end = i;
        i++;
        while (end > start && (text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t'))
            end--;
        size_t s = start;
        while (s < end && (text[s] == ' ' || text[s] == '\t'))
            s++;
        if (s == end || text[s] == '#')
            continue;
        if (!gls_utf8_valid(text + s, end - s)) {
            gls_diags_add(gls_builder_diags(b), path, line, 1, GLS_SEV_ERROR, "glossary-encoding",
                          "the line is not valid UTF-8; skipped");
            errors++;
            continue;
        }
        if (memchr(text + s, '\0', end - s)) {
            gls_diags_add(gls_builder_diags(b), path, line, 1, GLS_SEV_ERROR, "glossary-syntax",
                          "a NUL byte in the entry; line skipped");
            errors++;
            continue;
        }
        unsigned flags = 0;
        size_t skip = gls_vocab_case_prefix(text + s, end - s, &flags);
        gls_vocab_at_t at = {path, line, (uint32_t)(s - start + skip + 1), origin};
        int rc = reject ? gls_vocab_avoid(b, &at, text + s + skip, end - s - skip, flags, NULL, why)
                        : gls_vocab_accept(b, &at, text + s + skip, end - s - skip, flags);
        if (rc < 0)
            errors++;
    }
    return errors;
}
