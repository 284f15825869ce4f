/* describe.h: a concept as text for people: the hover card and the
 * `explain` command share it. */
#ifndef GLS_DESCRIBE_H
#define GLS_DESCRIBE_H

#include "gls/glossary.h"
#include "gls/util.h"

typedef struct gls_describe_opts {
    int markdown;            /* Markdown, or plain text */
    const gls_form_t *form;  /* the form that was pointed at (NULL: the term) */
    const char *local_definition; /* the document's own definition of the form, or NULL */
} gls_describe_opts_t;

/* Appends the description of concept 'ci' of 'g' to 'out'. */
void gls_describe_concept(const gls_glossary_t *g, uint32_t ci, const gls_describe_opts_t *o,
                          gls_buf_t *out);

/* The "Term (ABBR)" heading of a concept, appended to 'out'. */
void gls_describe_title(const gls_glossary_t *g, uint32_t ci, gls_buf_t *out);

#endif
