/* yaml_tree.h: a YAML document as a small immutable tree, read with
 * libyaml's event parser, every node knowing its line and column. For the
 * YAML vocabularies of other tools (Contextive, prh, Vale rules); enough
 * YAML for configuration files: scalars, sequences, mappings, one
 * document. Anchors and aliases are refused (no billion laughs), depth
 * and node count are capped. */
#ifndef GLS_YAML_TREE_H
#define GLS_YAML_TREE_H

#include <stddef.h>
#include <stdint.h>

typedef enum gls_yaml_kind {
    GLS_YAML_SCALAR,
    GLS_YAML_SEQUENCE,
    GLS_YAML_MAPPING
} gls_yaml_kind_t;

typedef struct gls_yaml_node gls_yaml_node_t;
struct gls_yaml_node {
    gls_yaml_kind_t kind;
    uint32_t line, column;    /* 1-based, where the node starts */
    /* SCALAR */
    char *value;              /* NUL-terminated; may contain NUL bytes before 'length' */
    size_t length;
    int quoted;               /* written in quotes (or a block scalar): always a string */
    /* SEQUENCE: items; MAPPING: keys[i] -> items[i] */
    gls_yaml_node_t **items;
    gls_yaml_node_t **keys;
    size_t count;
};

typedef struct gls_yaml_doc {
    gls_yaml_node_t *root;    /* NULL for an empty document or on error */
    /* The first problem, when parsing failed: message and 1-based position. */
    char error[256];
    uint32_t error_line, error_column;
} gls_yaml_doc_t;

/* Parses 'text' (borrowed). Returns 0, or -1 with doc->error set (then
 * doc->root is NULL). Free with gls_yaml_close either way. */
int gls_yaml_parse(gls_yaml_doc_t *doc, const char *text, size_t len);
void gls_yaml_close(gls_yaml_doc_t *doc);

/* The value of key 'name' in a mapping (borrowed), or NULL. */
const gls_yaml_node_t *gls_yaml_get(const gls_yaml_node_t *map, const char *name);
/* A scalar's text (borrowed), or NULL for other nodes. */
const char *gls_yaml_str(const gls_yaml_node_t *n);
/* A scalar read as a YAML 1.1/1.2 boolean (true/false/yes/no/on/off, any
 * case, unquoted): 1 or 0; -1 when it is not one. */
int gls_yaml_bool(const gls_yaml_node_t *n);

#endif
