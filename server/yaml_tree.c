/* yaml_tree.c: libyaml events into gls_yaml_node_t trees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "gls/util.h"
#include "gls/yaml_tree.h"

/* Vocabulary files are small; these bound what a hostile one can make
 * us allocate. */
#define MAX_DEPTH 64
#define MAX_NODES 2000000

typedef struct builder {
    yaml_parser_t parser;
    gls_yaml_doc_t *doc;
    size_t nodes;
} builder_t;

static void node_free(gls_yaml_node_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->count; i++) {
        node_free(n->items[i]);
        if (n->keys)
            node_free(n->keys[i]);
    }
    free(n->items);
    free(n->keys);
    free(n->value);
    free(n);
}

static void fail(builder_t *b, const char *msg, const yaml_mark_t *mark)
{
    if (b->doc->error[0])
        return;
    snprintf(b->doc->error, sizeof b->doc->error, "%s", msg);
    b->doc->error_line = mark ? (uint32_t)mark->line + 1 : 0;
    b->doc->error_column = mark ? (uint32_t)mark->column + 1 : 0;
}

/* The next event; 0 on a parse error (recorded). */
static int next(builder_t *b, yaml_event_t *ev)
{
    if (yaml_parser_parse(&b->parser, ev))
        return 1;
    const yaml_parser_t *p = &b->parser;
    char msg[256];
    if (p->context)
        snprintf(msg, sizeof msg, "%s %s", p->problem ? p->problem : "YAML error", p->context);
    else
        snprintf(msg, sizeof msg, "%s", p->problem ? p->problem : "YAML error");
    fail(b, msg, &p->problem_mark);
    return 0;
}

static gls_yaml_node_t *new_node(builder_t *b, gls_yaml_kind_t kind, const yaml_mark_t *m)
{
    if (++b->nodes > MAX_NODES) {
        fail(b, "too many YAML nodes", m);
        return NULL;
    }
    gls_yaml_node_t *n = gls_xcalloc(1, sizeof *n);
    n->kind = kind;
    n->line = (uint32_t)m->line + 1;
    n->column = (uint32_t)m->column + 1;
    return n;
}

static void push(gls_yaml_node_t *n, gls_yaml_node_t *key, gls_yaml_node_t *item)
{
    if ((n->count & (n->count - 1)) == 0) { /* 0, 1, 2, 4, ...: grow to the next power */
        size_t cap = n->count ? 2 * n->count : 1;
        n->items = gls_xrealloc(n->items, cap * sizeof *n->items);
        if (n->kind == GLS_YAML_MAPPING)
            n->keys = gls_xrealloc(n->keys, cap * sizeof *n->keys);
    }
    if (n->kind == GLS_YAML_MAPPING)
        n->keys[n->count] = key;
    n->items[n->count++] = item;
}

/* Reads one node starting with event 'ev' (consumed); NULL on error. */
static gls_yaml_node_t *read_node(builder_t *b, yaml_event_t *ev, int depth)
{
    if (depth > MAX_DEPTH) {
        fail(b, "YAML nested too deeply", &ev->start_mark);
        yaml_event_delete(ev);
        return NULL;
    }
    gls_yaml_node_t *n = NULL;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        fail(b, "YAML aliases (*name) are not supported in vocabularies", &ev->start_mark);
        yaml_event_delete(ev);
        return NULL;
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.anchor) {
            fail(b, "YAML anchors (&name) are not supported in vocabularies", &ev->start_mark);
            yaml_event_delete(ev);
            return NULL;
        }
        n = new_node(b, GLS_YAML_SCALAR, &ev->start_mark);
        if (n) {
            n->length = ev->data.scalar.length;
            n->value = gls_xstrndup((const char *)ev->data.scalar.value, n->length);
            n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        }
        yaml_event_delete(ev);
        return n;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int seq = ev->type == YAML_SEQUENCE_START_EVENT;
        if ((seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor) != NULL) {
            fail(b, "YAML anchors (&name) are not supported in vocabularies", &ev->start_mark);
            yaml_event_delete(ev);
            return NULL;
        }
        n = new_node(b, seq ? GLS_YAML_SEQUENCE : GLS_YAML_MAPPING, &ev->start_mark);
        yaml_event_delete(ev);
        if (!n)
            return NULL;
        yaml_event_type_t end = seq ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
        for (;;) {
            yaml_event_t e;
            if (!next(b, &e)) {
                node_free(n);
                return NULL;
            }
            if (e.type == end) {
                yaml_event_delete(&e);
                return n;
            }
            gls_yaml_node_t *key = NULL;
            if (!seq) {
                key = read_node(b, &e, depth + 1);
                if (!key || !next(b, &e)) {
                    node_free(key);
                    node_free(n);
                    return NULL;
                }
            }
            gls_yaml_node_t *item = read_node(b, &e, depth + 1);
            if (!item) {
                node_free(key);
                node_free(n);
                return NULL;
            }
            push(n, key, item);
        }
    }
    default:
        fail(b, "unexpected YAML event", &ev->start_mark);
        yaml_event_delete(ev);
        return NULL;
    }
}

int gls_yaml_parse(gls_yaml_doc_t *doc, const char *text, size_t len)
{
    memset(doc, 0, sizeof *doc);
    builder_t b = {.doc = doc};
    if (!yaml_parser_initialize(&b.parser)) {
        fail(&b, "out of memory", NULL);
        return -1;
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
    yaml_event_t ev;
    int ok = 1, in_doc = 0, docs = 0;
    while (ok && next(&b, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT) {
            in_doc = 1;
            if (++docs > 1) {
                fail(&b, "only one YAML document per file is read", &ev.start_mark);
                ok = 0;
            }
            yaml_event_delete(&ev);
            continue;
        }
        if (t == YAML_DOCUMENT_END_EVENT) {
            in_doc = 0;
            yaml_event_delete(&ev);
            continue;
        }
        if (t == YAML_STREAM_START_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        if (in_doc && !doc->root) {
            doc->root = read_node(&b, &ev, 0);
            ok = doc->root != NULL;
        } else {
            yaml_event_delete(&ev);
        }
    }
    yaml_parser_delete(&b.parser);
    if (doc->error[0]) {
        node_free(doc->root);
        doc->root = NULL;
        return -1;
    }
    return 0;
}

void gls_yaml_close(gls_yaml_doc_t *doc)
{
    node_free(doc->root);
    doc->root = NULL;
}

const gls_yaml_node_t *gls_yaml_get(const gls_yaml_node_t *map, const char *name)
{
    if (!map || map->kind != GLS_YAML_MAPPING)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (map->keys[i]->kind == GLS_YAML_SCALAR && strcmp(map->keys[i]->value, name) == 0)
            return map->items[i];
    return NULL;
}

const char *gls_yaml_str(const gls_yaml_node_t *n)
{
    return n && n->kind == GLS_YAML_SCALAR ? n->value : NULL;
}

int gls_yaml_bool(const gls_yaml_node_t *n)
{
    if (!n || n->kind != GLS_YAML_SCALAR || n->quoted)
        return -1;
    static const char *const yes[] = {"true", "yes", "on", "y"};
    static const char *const no[] = {"false", "no", "off", "n"};
    for (size_t i = 0; i < GLS_ARRAY_LEN(yes); i++) {
        if (strcasecmp(n->value, yes[i]) == 0)
            return 1;
        if (strcasecmp(n->value, no[i]) == 0)
            return 0;
    }
    return -1;
}
