/* vocab.h: what the importers of other tools' vocabularies (Vale, prh,
 * textlint, cspell, Contextive) share: turning "avoid this, write that"
 * and "this is the exact spelling" entries into the term model. Literal
 * entries become forms (matched by the token matcher, as written: no
 * plural or hyphen variants the original tool would not find); entries
 * with regex syntax become PCRE2 patterns. Errors are located like every
 * loader's. */
#ifndef GLS_VOCAB_H
#define GLS_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "gls/glossary.h"

/* With the GLS_REGEX_* flags: the entry is literal text even if it has
 * characters regular expressions use ("Node.js" in a textlint list). */
#define GLS_VOCAB_LITERAL (1u << 8)
/* With the GLS_REGEX_* flags: a pattern's fix keeps a sentence-initial
 * capital (textlint-rule-terminology's behaviour). */
#define GLS_VOCAB_CAPITALIZE (1u << 9)

/* Where an entry comes from, for messages. */
typedef struct gls_vocab_at {
    const char *path;
    uint32_t line, column;
    const char *origin; /* "the Vale vocabulary Acme": written into the definition of
                           the concepts an entry creates (hover shows it); NULL: the file */
} gls_vocab_at_t;

/* "Avoid 'entry'; write 'use'" ('use' may be NULL: no replacement;
 * 'why' optional). 'flags' are GLS_REGEX_* (CASELESS: any case; WORDS:
 * whole words only, which literals always are). A literal with a
 * replacement becomes an avoided form of the concept whose form 'use' is
 * (a new concept when there is none); a literal that differs from 'use'
 * only in case makes 'use' the concept's exact spelling; anything else
 * becomes a pattern (templates $1/$& allowed in 'use'). Returns 0, or -1
 * when the entry was reported and skipped. */
int gls_vocab_avoid(gls_builder_t *b, const gls_vocab_at_t *at, const char *entry, size_t len,
                    unsigned flags, const char *use, const char *why);

/* "'entry' is the right spelling": a literal becomes a concept with that
 * exact spelling (case-sensitive unless CASELESS) that needs no
 * definition or expansion; a regex becomes an exact-case pattern (found
 * ignoring case, flagged unless written as it says). A known form is
 * left alone. Returns 0 or -1 as above. */
int gls_vocab_accept(gls_builder_t *b, const gls_vocab_at_t *at, const char *entry, size_t len,
                     unsigned flags);

/* Strips a leading "(?i)" (and "(?-i)"), setting or clearing
 * GLS_REGEX_CASELESS in '*flags'; returns the number of bytes removed. */
size_t gls_vocab_case_prefix(const char *entry, size_t len, unsigned *flags);

#endif
