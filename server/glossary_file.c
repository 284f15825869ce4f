/* glossary_file.c: finding concept references under the cursor in a
 * glossary file. */
#include "gls/glossary_file.h"

#include <string.h>
#include <strings.h>

/* Containers are rarely nested more than five deep in a glossary; deeper
 * ones are still scanned, their keys just not remembered. */
#define MAX_DEPTH 64

typedef struct frame {
    char type;               /* '{' or '[' */
    int expect_key;          /* in an object, before a member's key */
    size_t key_start, key_end; /* the current member's key (object), raw bytes */
} frame_t;

static int key_is(const char *text, const frame_t *f, const char *name)
{
    size_t n = strlen(name);
    return f->key_end - f->key_start == n && memcmp(text + f->key_start, name, n) == 0;
}

gls_glossary_ref_t gls_json_glossary_ref_at(const char *text, size_t len, size_t offset)
{
    gls_glossary_ref_t none = {GLS_REF_NONE, 0, 0};
    frame_t stack[MAX_DEPTH];
    int depth = 0; /* frames in use; deeper levels counted in 'lost' */
    int lost = 0;
    if (offset > len)
        return none;
    for (size_t i = 0; i < len && i <= offset; i++) {
        char c = text[i];
        frame_t *top = depth > 0 && lost == 0 ? &stack[depth - 1] : NULL;
        if (c == '{' || c == '[') {
            if (depth < MAX_DEPTH && lost == 0)
                stack[depth++] = (frame_t){c, c == '{', 0, 0};
            else
                lost++;
        } else if (c == '}' || c == ']') {
            if (lost)
                lost--;
            else if (depth)
                depth--;
        } else if (c == ',') {
            if (top && top->type == '{')
                top->expect_key = 1;
        } else if (c == '"') {
            size_t start = i + 1, j = start;
            while (j < len && text[j] != '"' && text[j] != '\n') {
                if (text[j] == '\\' && j + 1 < len)
                    j++;
                j++;
            }
            /* An unterminated string (being typed) ends at the line's end. */
            size_t end = j;
            int is_key = top && top->type == '{' && top->expect_key;
            if (offset >= start && offset <= end) {
                if (!top || is_key)
                    return none;
                if (top->type == '[' && depth >= 2 && key_is(text, &stack[depth - 2], "seeAlso"))
                    return (gls_glossary_ref_t){GLS_REF_SEE_ALSO, start, end};
                if (top->type == '{' && key_is(text, top, "use"))
                    return (gls_glossary_ref_t){GLS_REF_USE, start, end};
                return none;
            }
            if (is_key) {
                top->key_start = start;
                top->key_end = end;
                top->expect_key = 0;
            }
            i = j < len && text[j] == '"' ? j : (j ? j - 1 : 0);
        }
    }
    return none;
}

gls_glossary_ref_t gls_markdown_glossary_ref_at(const char *text, size_t len, size_t offset)
{
    gls_glossary_ref_t none = {GLS_REF_NONE, 0, 0};
    if (offset > len)
        return none;
    size_t ls = offset;
    while (ls > 0 && text[ls - 1] != '\n')
        ls--;
    size_t le = offset;
    while (le < len && text[le] != '\n' && text[le] != '\r')
        le++;
    /* "See also:", "*See also*:", "**Related:**", "- See also: ..." */
    size_t p = ls;
    while (p < le && strchr(" \t-*_>", text[p]))
        p++;
    static const char *const labels[] = {"see also", "related"};
    size_t after = 0;
    for (size_t k = 0; k < 2 && !after; k++) {
        size_t n = strlen(labels[k]);
        if (le - p >= n && strncasecmp(text + p, labels[k], n) == 0) {
            size_t q = p + n;
            while (q < le && (text[q] == '*' || text[q] == '_'))
                q++;
            if (q < le && text[q] == ':') {
                q++;
                while (q < le && (text[q] == '*' || text[q] == '_'))
                    q++;
                after = q;
            }
        }
    }
    if (!after || offset < after)
        return none;
    /* The comma-separated item around the cursor, trimmed; a Markdown link
     * [Text](#anchor) names its text. */
    size_t a = offset, b = offset;
    while (a > after && text[a - 1] != ',')
        a--;
    while (b < le && text[b] != ',')
        b++;
    while (a < b && (text[a] == ' ' || text[a] == '\t'))
        a++;
    while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '.'))
        b--;
    if (a < b && text[a] == '[') {
        const char *close = memchr(text + a, ']', b - a);
        if (close) {
            a++;
            b = (size_t)(close - text);
        }
    }
    if (offset < a || offset > b)
        return none;
    return (gls_glossary_ref_t){GLS_REF_SEE_ALSO, a, b};
}
