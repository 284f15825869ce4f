/* rename.h: how a renamed form is written at each of its uses. A use keeps
 * what the writer did to the form: its plural, its possessive, hyphens for
 * spaces, and its capitalization (all lower case in running text, a capital
 * at the start of a sentence, title case in a heading). Pure. */
#ifndef GLS_RENAME_H
#define GLS_RENAME_H

#include <stddef.h>
#include <stdint.h>

#include "gls/glossary.h"

/* The text that replaces 'use' (use_len bytes, a match of 'form' with the
 * matcher's GLS_MATCH_* 'flags') when the form becomes 'new_name'.
 * Returns a new string. */
char *gls_rename_use(const char *use, size_t use_len, const gls_form_t *form, uint16_t flags,
                     const char *new_name);

/* The English plural of 'word' as a writer spells it: NRRs, indexes,
 * companies, scores. Returns a new string. */
char *gls_pluralize(const char *word);

/* Why 'new_name' cannot name a form, or NULL when it can. Static text. */
const char *gls_rename_invalid(const char *new_name);

#endif
