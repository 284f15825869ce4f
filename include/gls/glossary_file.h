/* glossary_file.h: where the cursor is in a glossary file being edited, so
 * that hover and completion can help with its references to other
 * concepts: the strings of a JSON glossary's "seeAlso" lists and avoid
 * entries' "use" values, and the items of a Markdown glossary's
 * "See also:" / "Related:" lines. Pure: text in, ranges out. */
#ifndef GLS_GLOSSARY_FILE_H
#define GLS_GLOSSARY_FILE_H

#include <stddef.h>

typedef enum gls_glossary_ref_kind {
    GLS_REF_NONE,
    GLS_REF_SEE_ALSO, /* names a related concept, by id or term */
    GLS_REF_USE       /* the form to write instead of an avoided one */
} gls_glossary_ref_kind_t;

typedef struct gls_glossary_ref {
    gls_glossary_ref_kind_t kind;
    size_t start, end; /* the reference's text (inside the quotes for JSON), in bytes */
} gls_glossary_ref_t;

/* The reference at byte 'offset' of a JSON glossary's text (the cursor may
 * be just after its last character). kind is GLS_REF_NONE when there is
 * none. Linear in 'offset'. */
gls_glossary_ref_t gls_json_glossary_ref_at(const char *text, size_t len, size_t offset);

/* The same for a Markdown or plain-text glossary. */
gls_glossary_ref_t gls_markdown_glossary_ref_at(const char *text, size_t len, size_t offset);

#endif
