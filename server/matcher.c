/* matcher.c: the token-trie index and the leftmost-longest matcher. */
#include "gls/matcher.h"

#include <stdlib.h>
#include <string.h>

#include "gls/position.h"
#include "gls/strmap.h"
#include "gls/util.h"

/* Separator classes on trie edges: space, hyphen and CJK adjacency are one
 * class, so "time to value" and "time-to-value" walk the same path. */
enum { EDGE_JOIN, EDGE_SLASH, EDGE_HARD };

static inline int edge_class(gls_sep_t sep)
{
    return sep <= GLS_SEP_HYPHEN ? EDGE_JOIN : sep == GLS_SEP_SLASH ? EDGE_SLASH : EDGE_HARD;
}

typedef struct edge {
    uint64_t hash;
    uint32_t parent, child; /* child 0 = empty slot (the root is never a child) */
    uint32_t key_off;
    uint16_t key_len;
    uint8_t cls;
} edge_t;

typedef struct node {
    uint32_t forms_off, forms_count;
} node_t;

typedef struct sorted_form {
    uint32_t key_off, key_len; /* folded form text */
    uint32_t form;
} sorted_form_t;

struct gls_index {
    node_t *nodes;
    size_t node_count, node_cap;
    edge_t *edges;
    size_t edge_cap, edge_count;
    uint32_t *node_forms; /* per node, the forms ending there */
    size_t node_forms_count;
    gls_buf_t keys;       /* folded token keys and exact keys */
    uint32_t *exact_off, *exact_len; /* per form: exact key (case-sensitive compare) */
    uint8_t *form_hyphen; /* per form: 1 when written with hyphens between words */
    sorted_form_t *sorted; /* forms by folded text, for prefix lookups */
    size_t sorted_count;
    size_t max_depth;
    /* One bit per hash of a token that starts some form: most tokens of a
     * text start none, and one bit test rejects them. */
    uint64_t *root_filter;
    unsigned root_filter_shift; /* 64 - log2(bits) */
    int borrowed; /* read from a cache: the arrays are not ours to free */
};

void gls_matches_init(gls_matches_t *m)
{
    m->items = NULL;
    m->count = m->cap = 0;
}

void gls_matches_close(gls_matches_t *m)
{
    free(m->items);
    gls_matches_init(m);
}

void gls_matches_push(gls_matches_t *m, const gls_match_t *item)
{
    if (m->count == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 32;
        m->items = gls_xrealloc(m->items, m->cap * sizeof *m->items);
    }
    m->items[m->count++] = *item;
}

/* Tokens are hashed once (FNV-1a over the folded bytes); an edge's hash
 * mixes the token's hash with its parent and class, so the matcher hashes
 * each token of a text once whatever the depth it is looked up at. */
#define TOKEN_HASH_SEED 0xcbf29ce484222325ull

static inline uint64_t token_hash_step(uint64_t h, unsigned char c)
{
    return (h ^ c) * 0x100000001b3ull;
}

static inline uint64_t token_hash(const char *key, size_t len)
{
    uint64_t h = TOKEN_HASH_SEED;
    for (size_t i = 0; i < len; i++)
        h = token_hash_step(h, (unsigned char)key[i]);
    return h;
}

static inline uint64_t edge_mix(uint64_t th, uint32_t parent, int cls)
{
    uint64_t x = th ^ ((((uint64_t)parent << 2) | (uint64_t)cls) * 0x9e3779b97f4a7c15ull);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static inline int root_filter_has(const gls_index_t *idx, uint64_t th)
{
    uint64_t bit = (th * 0x9e3779b97f4a7c15ull) >> idx->root_filter_shift;
    return (idx->root_filter[bit >> 6] >> (bit & 63)) & 1;
}

static inline void root_filter_add(gls_index_t *idx, uint64_t th)
{
    uint64_t bit = (th * 0x9e3779b97f4a7c15ull) >> idx->root_filter_shift;
    idx->root_filter[bit >> 6] |= 1ull << (bit & 63);
}

static edge_t *edge_find(const gls_index_t *idx, uint32_t parent, int cls, const char *key,
                         size_t len, uint64_t h)
{
    size_t mask = idx->edge_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        edge_t *e = &idx->edges[i];
        if (!e->child)
            return e;
        if (e->hash == h && e->parent == parent && e->cls == cls && e->key_len == len &&
            memcmp(idx->keys.data + e->key_off, key, len) == 0)
            return e;
    }
}

/* 'th' is token_hash(key, len). */
static inline uint32_t child_of(const gls_index_t *idx, uint32_t parent, int cls, const char *key,
                                size_t len, uint64_t th)
{
    if (len > 65535)
        return 0;
    return edge_find(idx, parent, cls, key, len, edge_mix(th, parent, cls))->child;
}

static uint32_t new_node(gls_index_t *idx)
{
    if (idx->node_count == idx->node_cap) {
        idx->node_cap = idx->node_cap ? idx->node_cap * 2 : 256;
        idx->nodes = gls_xrealloc(idx->nodes, idx->node_cap * sizeof *idx->nodes);
    }
    idx->nodes[idx->node_count].forms_off = 0;
    idx->nodes[idx->node_count].forms_count = 0;
    return (uint32_t)idx->node_count++;
}

static void edges_grow(gls_index_t *idx)
{
    size_t old_cap = idx->edge_cap;
    edge_t *old = idx->edges;
    idx->edge_cap = old_cap ? old_cap * 2 : 1024;
    idx->edges = gls_xcalloc(idx->edge_cap, sizeof *idx->edges);
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].child)
            continue;
        size_t mask = idx->edge_cap - 1;
        size_t j = old[i].hash & mask;
        while (idx->edges[j].child)
            j = (j + 1) & mask;
        idx->edges[j] = old[i];
    }
    free(old);
}

static uint32_t child_add(gls_index_t *idx, uint32_t parent, int cls, const char *key, size_t len)
{
    if ((idx->edge_count + 1) * 2 > idx->edge_cap)
        edges_grow(idx);
    uint64_t h = edge_mix(token_hash(key, len), parent, cls);
    edge_t *e = edge_find(idx, parent, cls, key, len, h);
    if (e->child)
        return e->child;
    uint32_t child = new_node(idx);
    e->hash = h;
    e->parent = parent;
    e->cls = (uint8_t)cls;
    e->key_off = (uint32_t)idx->keys.len;
    e->key_len = (uint16_t)len;
    gls_buf_append(&idx->keys, key, len);
    e->child = child;
    idx->edge_count++;
    return child;
}

/* The key of a token after a hard separator: the punctuation between the
 * tokens (white space dropped), a unit separator, then the token. So
 * "LTV:CAC" matches only with a colon there, not "LTV, CAC" or a code
 * span between the words. */
static void hard_key(const char *text, uint32_t prev_end, uint32_t start, const char *tok,
                     size_t len, gls_buf_t *out)
{
    gls_buf_clear(out);
    for (uint32_t i = prev_end; i < start; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
            gls_buf_putc(out, text[i]);
    gls_buf_putc(out, '\x1f');
    gls_buf_append(out, tok, len);
}

/* Appends the exact key of tokens[0, n) of 'text' to 'out': the tokens as
 * written, joined by ' ' (space, hyphen, adjacency), '/' or '|'. The last
 * token keeps only 'last_len' bytes. */
static void exact_key(gls_buf_t *out, const char *text, const gls_token_t *t, size_t n,
                      size_t last_len)
{
    for (size_t k = 0; k < n; k++) {
        if (k > 0) {
            int cls = edge_class(t[k].sep);
            gls_buf_putc(out, cls == EDGE_JOIN ? ' ' : cls == EDGE_SLASH ? '/' : '|');
        }
        size_t len = k + 1 == n ? last_len : t[k].end - t[k].start;
        gls_buf_append(out, text + t[k].start, len);
    }
}

static int sorted_cmp(const void *a, const void *b, void *keys)
{
    const sorted_form_t *x = a, *y = b;
    const char *k = keys;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(k + x->key_off, k + y->key_off, n);
    if (c)
        return c;
    return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

gls_index_t *gls_index_build(const gls_glossary_t *g)
{
    gls_index_t *idx = gls_xcalloc(1, sizeof *idx);
    gls_buf_init(&idx->keys);
    gls_buf_reserve(&idx->keys, 1024);
    new_node(idx); /* root */
    edges_grow(idx);
    idx->exact_off = gls_xcalloc(g->form_count + 1, sizeof(uint32_t));
    idx->exact_len = gls_xcalloc(g->form_count + 1, sizeof(uint32_t));
    idx->form_hyphen = gls_xcalloc(g->form_count + 1, 1);
    idx->sorted = gls_xcalloc(g->form_count + 1, sizeof *idx->sorted);

    /* First pass: the trie, remembering each form's end node. */
    uint32_t *end_node = gls_xcalloc(g->form_count + 1, sizeof(uint32_t));
    gls_tokens_t toks;
    gls_buf_t fold, exact;
    gls_tokens_init(&toks);
    gls_buf_init(&fold);
    gls_buf_init(&exact);
    for (uint32_t f = 0; f < g->form_count; f++) {
        const char *text = g->forms[f].text;
        if (g->forms[f].flags & GLS_FORM_SPELLING)
            continue;
        toks.count = 0;
        gls_tokenize(text, 0, (uint32_t)strlen(text), GLS_SEP_HARD, &toks);
        if (toks.count == 0)
            continue;
        uint32_t node = 0;
        for (size_t k = 0; k < toks.count; k++) {
            gls_token_t *t = &toks.items[k];
            if (k > 0 && t->sep == GLS_SEP_HYPHEN)
                idx->form_hyphen[f] = 1;
            gls_fold(text + t->start, t->end - t->start, &fold);
            int cls = k == 0 ? EDGE_JOIN : edge_class(t->sep);
            if (cls == EDGE_HARD) {
                hard_key(text, toks.items[k - 1].end, t->start, fold.data, fold.len, &exact);
                node = child_add(idx, node, cls, exact.data, exact.len);
            } else {
                node = child_add(idx, node, cls, fold.data, fold.len);
            }
        }
        if (toks.count > idx->max_depth)
            idx->max_depth = toks.count;
        end_node[f] = node;
        idx->nodes[node].forms_count++;
        gls_buf_clear(&exact);
        exact_key(&exact, text, toks.items, toks.count,
                  toks.items[toks.count - 1].end - toks.items[toks.count - 1].start);
        idx->exact_off[f] = (uint32_t)idx->keys.len;
        idx->exact_len[f] = (uint32_t)exact.len;
        gls_buf_append(&idx->keys, exact.data, exact.len);
        gls_fold(exact.data, exact.len, &fold);
        idx->sorted[idx->sorted_count].key_off = (uint32_t)idx->keys.len;
        idx->sorted[idx->sorted_count].key_len = (uint32_t)fold.len;
        idx->sorted[idx->sorted_count].form = f;
        idx->sorted_count++;
        gls_buf_append(&idx->keys, fold.data, fold.len);
    }
    /* Second pass: lay out each node's forms contiguously. */
    uint32_t off = 0;
    for (size_t n = 0; n < idx->node_count; n++) {
        idx->nodes[n].forms_off = off;
        off += idx->nodes[n].forms_count;
        idx->nodes[n].forms_count = 0;
    }
    idx->node_forms = gls_xcalloc(off + 1, sizeof(uint32_t));
    idx->node_forms_count = off;
    for (uint32_t f = 0; f < g->form_count; f++) {
        if (!end_node[f])
            continue;
        node_t *n = &idx->nodes[end_node[f]];
        idx->node_forms[n->forms_off + n->forms_count++] = f;
    }
    if (idx->sorted_count > 1)
        qsort_r(idx->sorted, idx->sorted_count, sizeof *idx->sorted, sorted_cmp, idx->keys.data);
    /* The root filter: about 16 bits per first token keeps false
     * positives near 6 %; at least 4096 bits (512 bytes). */
    size_t roots = 0;
    for (size_t e = 0; e < idx->edge_cap; e++)
        roots += idx->edges[e].child && idx->edges[e].parent == 0;
    unsigned log2 = 12;
    while (((size_t)1 << log2) < roots * 16 && log2 < 30)
        log2++;
    idx->root_filter_shift = 64 - log2;
    idx->root_filter = gls_xcalloc(((size_t)1 << log2) / 64, sizeof(uint64_t));
    for (size_t e = 0; e < idx->edge_cap; e++) {
        const edge_t *ed = &idx->edges[e];
        if (ed->child && ed->parent == 0)
            root_filter_add(idx, token_hash(idx->keys.data + ed->key_off, ed->key_len));
    }
    free(end_node);
    gls_tokens_close(&toks);
    gls_buf_close(&fold);
    gls_buf_close(&exact);
    return idx;
}

void gls_index_write(const gls_index_t *idx, gls_buf_t *out, uint32_t form_count)
{
    gls_put_u64(out, idx->node_count);
    gls_put_u64(out, idx->edge_cap);
    gls_put_u64(out, idx->edge_count);
    gls_put_u64(out, idx->node_forms_count);
    gls_put_u64(out, idx->keys.len);
    gls_put_u64(out, idx->sorted_count);
    gls_put_u64(out, idx->max_depth);
    gls_put_u64(out, idx->root_filter_shift);
    /* Each array aligned, so the reader uses it where it lies. */
    const struct {
        const void *p;
        size_t n;
    } arrays[] = {
        {idx->nodes, idx->node_count * sizeof *idx->nodes},
        {idx->edges, idx->edge_cap * sizeof *idx->edges},
        {idx->node_forms, idx->node_forms_count * sizeof *idx->node_forms},
        {idx->keys.data, idx->keys.len},
        {idx->sorted, idx->sorted_count * sizeof *idx->sorted},
        {idx->root_filter, ((size_t)1 << (64 - idx->root_filter_shift)) / 8},
        {idx->exact_off, ((size_t)form_count + 1) * sizeof(uint32_t)},
        {idx->exact_len, ((size_t)form_count + 1) * sizeof(uint32_t)},
        {idx->form_hyphen, (size_t)form_count + 1},
    };
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        gls_put_align(out, 8);
        gls_put_raw(out, arrays[i].p, arrays[i].n);
    }
}

static int index_consistent(const gls_index_t *idx, uint32_t form_count)
{
    if (idx->node_count == 0 || idx->node_count > UINT32_MAX || idx->edge_cap < 2 ||
        (idx->edge_cap & (idx->edge_cap - 1)) || idx->edge_count >= idx->edge_cap ||
        idx->max_depth > 4096 || idx->sorted_count > form_count)
        return 0;
    for (size_t n = 0; n < idx->node_count; n++)
        if ((uint64_t)idx->nodes[n].forms_off + idx->nodes[n].forms_count > idx->node_forms_count)
            return 0;
    size_t empty = 0;
    for (size_t e = 0; e < idx->edge_cap; e++) {
        const edge_t *ed = &idx->edges[e];
        if (!ed->child) {
            empty++;
            continue;
        }
        if (ed->child >= idx->node_count || ed->parent >= idx->node_count ||
            (uint64_t)ed->key_off + ed->key_len > idx->keys.len || ed->cls > EDGE_HARD)
            return 0;
    }
    if (!empty) /* a full table: a miss would probe forever */
        return 0;
    for (size_t k = 0; k < idx->node_forms_count; k++)
        if (idx->node_forms[k] >= form_count)
            return 0;
    for (uint32_t f = 0; f <= form_count; f++)
        if ((uint64_t)idx->exact_off[f] + idx->exact_len[f] > idx->keys.len)
            return 0;
    for (size_t k = 0; k < idx->sorted_count; k++)
        if ((uint64_t)idx->sorted[k].key_off + idx->sorted[k].key_len > idx->keys.len ||
            idx->sorted[k].form >= form_count)
            return 0;
    return 1;
}

gls_index_t *gls_index_read(gls_reader_t *r, const void *start, uint32_t form_count)
{
    gls_index_t *idx = gls_xcalloc(1, sizeof *idx);
    idx->borrowed = 1;
    idx->node_count = idx->node_cap = gls_get_u64(r);
    idx->edge_cap = gls_get_u64(r);
    idx->edge_count = gls_get_u64(r);
    idx->node_forms_count = gls_get_u64(r);
    size_t keys_len = gls_get_u64(r);
    idx->sorted_count = gls_get_u64(r);
    idx->max_depth = gls_get_u64(r);
    uint64_t shift = gls_get_u64(r);
    unsigned log2 = shift <= 64 ? 64 - (unsigned)shift : 0;
    if (log2 < 12 || log2 > 30) {
        r->bad = 1;
        log2 = 12;
    }
    idx->root_filter_shift = 64 - log2;
    /* The arrays stay where they lie in the cache's buffer (borrowed):
     * copying 50 MB cost more than the rest of reading it. */
    idx->nodes = gls_get_aligned(r, start, idx->node_count, sizeof(node_t), 8);
    idx->edges = gls_get_aligned(r, start, idx->edge_cap, sizeof(edge_t), 8);
    idx->node_forms =
        gls_get_aligned(r, start, idx->node_forms_count, sizeof(uint32_t), 8);
    idx->keys.data = gls_get_aligned(r, start, keys_len, 1, 8);
    idx->keys.len = idx->keys.cap = keys_len;
    idx->sorted =
        gls_get_aligned(r, start, idx->sorted_count, sizeof(sorted_form_t), 8);
    idx->root_filter =
        gls_get_aligned(r, start, ((size_t)1 << log2) / 64, sizeof(uint64_t), 8);
    idx->exact_off =
        gls_get_aligned(r, start, (size_t)form_count + 1, sizeof(uint32_t), 8);
    idx->exact_len =
        gls_get_aligned(r, start, (size_t)form_count + 1, sizeof(uint32_t), 8);
    idx->form_hyphen = gls_get_aligned(r, start, (size_t)form_count + 1, 1, 8);
    if (r->bad || !index_consistent(idx, form_count)) {
        r->bad = 1;
        gls_index_free(idx);
        return NULL;
    }
    return idx;
}

void gls_index_free(gls_index_t *idx)
{
    if (!idx)
        return;
    if (idx->borrowed) { /* the arrays belong to the cache's buffer */
        free(idx);
        return;
    }
    free(idx->nodes);
    free(idx->edges);
    free(idx->node_forms);
    free(idx->exact_off);
    free(idx->exact_len);
    free(idx->form_hyphen);
    free(idx->sorted);
    free(idx->root_filter);
    gls_buf_close(&idx->keys);
    free(idx);
}

size_t gls_index_memory(const gls_index_t *idx)
{
    return idx->node_cap * sizeof(node_t) + idx->edge_cap * sizeof(edge_t) +
           idx->node_forms_count * 4 + idx->keys.cap + idx->sorted_count * sizeof(sorted_form_t) +
           idx->sorted_count * 9 + (((size_t)1 << (64 - idx->root_filter_shift)) / 8);
}

/* ---- matching ---- */

/* A way to read the last token of a form: keep 'keep' bytes of it, then
 * append "y" when 'add_y' (companies -> company). */
typedef struct variant {
    uint32_t keep;
    uint8_t add_y;
    uint16_t flags;
} variant_t;

static inline int lower_ascii(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Length in bytes of a trailing apostrophe at s[len-k..] (ASCII ' or
 * U+2019), or 0. */
static size_t apostrophe_before(const char *s, size_t len)
{
    if (len >= 1 && s[len - 1] == '\'')
        return 1;
    if (len >= 3 && (unsigned char)s[len - 3] == 0xe2 && (unsigned char)s[len - 2] == 0x80 &&
        (unsigned char)s[len - 1] == 0x99)
        return 3;
    return 0;
}

/* The plural and possessive readings of token 's' (not including the
 * token as is). Works on folded and original text alike. */
static size_t variants(const char *s, size_t len, variant_t out[6])
{
    size_t n = 0;
    size_t base = len;
    uint16_t poss = 0;
    size_t a;
    /* Possessives: "CSM's", "customer's", "customers'". */
    if (len >= 3 && lower_ascii(s[len - 1]) == 's' && (a = apostrophe_before(s, len - 1)) &&
        len - 1 - a > 0) {
        base = len - 1 - a;
        poss = GLS_MATCH_POSSESSIVE;
        out[n++] = (variant_t){(uint32_t)base, 0, poss};
    } else if ((a = apostrophe_before(s, len)) && len - a >= 2 &&
               lower_ascii(s[len - a - 1]) == 's') {
        base = len - a; /* "customers" */
        poss = GLS_MATCH_POSSESSIVE;
        out[n++] = (variant_t){(uint32_t)base, 0, poss};
    }
    /* Plurals of 'base'. */
    if (base >= 3 && lower_ascii(s[base - 1]) == 's' && lower_ascii(s[base - 2]) != 's') {
        uint16_t f = poss | GLS_MATCH_PLURAL;
        out[n++] = (variant_t){(uint32_t)(base - 1), 0, f};
        if (base >= 4 && lower_ascii(s[base - 2]) == 'e') {
            char c3 = (char)lower_ascii(s[base - 3]);
            if (c3 == 'i')
                out[n++] = (variant_t){(uint32_t)(base - 3), 1, f}; /* companies */
            else if (c3 == 's' || c3 == 'x' || c3 == 'z' || c3 == 'h')
                out[n++] = (variant_t){(uint32_t)(base - 2), 0, f}; /* boxes, churches */
        }
    }
    return n;
}

typedef struct candidate {
    uint32_t form;
    uint32_t last;      /* index of the last token */
    uint16_t flags;
    int exact;          /* case rules fully satisfied */
} candidate_t;

/* Picks among the forms ending at 'node' for tokens[i..j]; 'v' is the
 * variant used for token j (NULL: as written). Updates 'best'. */
static void consider(const gls_glossary_t *g, const gls_index_t *idx, const char *text,
                     const gls_token_t *tokens, size_t i, size_t j, uint32_t node,
                     const variant_t *v, candidate_t *best, gls_buf_t *scratch)
{
    const node_t *n = &idx->nodes[node];
    if (!n->forms_count)
        return;
    int have_exact_key = 0;
    for (uint32_t k = 0; k < n->forms_count; k++) {
        uint32_t f = idx->node_forms[n->forms_off + k];
        const gls_form_t *form = &g->forms[f];
        if (v && (form->flags & GLS_FORM_AS_WRITTEN))
            continue;
        uint16_t flags = v ? v->flags : 0;
        int exact = 1;
        if (form->flags & GLS_FORM_CASE_SENSITIVE) {
            if (!have_exact_key) {
                gls_buf_clear(scratch);
                const gls_token_t *last = &tokens[j];
                size_t last_len = v ? v->keep : last->end - last->start;
                exact_key(scratch, text, tokens + i, j - i + 1, last_len);
                if (v && v->add_y)
                    gls_buf_putc(scratch, 'y');
                have_exact_key = 1;
            }
            if (scratch->len != idx->exact_len[f] ||
                memcmp(scratch->data, idx->keys.data + idx->exact_off[f], scratch->len) != 0) {
                /* Same letters, other case. An acronym that is also an
                 * ordinary word ("map" for MAP) is then just that word. */
                if (form->flags & GLS_FORM_ORDINARY_WORD)
                    continue;
                flags |= GLS_MATCH_CASE_MISMATCH;
                exact = 0;
            }
        }
        if (j > i) {
            int hyphen_in_text = 0, space_in_text = 0;
            for (size_t t = i + 1; t <= j; t++) {
                if (tokens[t].sep == GLS_SEP_HYPHEN)
                    hyphen_in_text = 1;
                else if (tokens[t].sep == GLS_SEP_SPACE)
                    space_in_text = 1;
            }
            if (hyphen_in_text && !idx->form_hyphen[f])
                flags |= GLS_MATCH_HYPHENATED;
            else if (space_in_text && idx->form_hyphen[f])
                flags |= GLS_MATCH_SPACED;
            if ((form->flags & GLS_FORM_AS_WRITTEN) &&
                (flags & (GLS_MATCH_HYPHENATED | GLS_MATCH_SPACED)))
                continue;
        }
        /* Longer wins; at equal length, an exact-case reading beats a case
         * mismatch, a reading as written beats a plural, and a form that
         * matches the writing's hyphenation beats one that does not. */
        int better;
        if (best->form == UINT32_MAX || j > best->last)
            better = 1;
        else if (j < best->last)
            better = 0;
        else if (exact != best->exact)
            better = exact;
        else {
            int fa = (flags & (GLS_MATCH_PLURAL | GLS_MATCH_HYPHENATED | GLS_MATCH_SPACED)) != 0;
            int fb = (best->flags & (GLS_MATCH_PLURAL | GLS_MATCH_HYPHENATED | GLS_MATCH_SPACED)) != 0;
            better = !fa && fb;
        }
        if (better) {
            best->form = f;
            best->last = (uint32_t)j;
            best->flags = flags;
            best->exact = exact;
        }
    }
}

void gls_match_scratch_init(gls_match_scratch_t *sc)
{
    memset(sc, 0, sizeof *sc);
}

void gls_match_scratch_close(gls_match_scratch_t *sc)
{
    free(sc->folded);
    free(sc->off);
    free(sc->hash);
    gls_match_scratch_init(sc);
}

/* Folds the tokens into sc->folded and hashes each (sc->off, sc->hash). */
static void fold_tokens(gls_match_scratch_t *sc, const char *text, const gls_token_t *tokens,
                        size_t count)
{
    /* Folding keeps a code point's UTF-8 length or shortens it, so the
     * tokens' bytes bound the folded text (the non-ASCII path checks). */
    size_t bytes = 4;
    for (size_t k = 0; k < count; k++)
        bytes += tokens[k].end - tokens[k].start;
    if (bytes + 1 > sc->folded_cap) {
        sc->folded_cap = bytes + 1 > 2 * sc->folded_cap ? bytes + 1 : 2 * sc->folded_cap;
        sc->folded = gls_xrealloc(sc->folded, sc->folded_cap);
    }
    if (count + 1 > sc->token_cap) {
        sc->token_cap = count + 1 > 2 * sc->token_cap ? count + 1 : 2 * sc->token_cap;
        sc->off = gls_xrealloc(sc->off, sc->token_cap * sizeof *sc->off);
        sc->hash = gls_xrealloc(sc->hash, sc->token_cap * sizeof *sc->hash);
    }
    const unsigned char *s = (const unsigned char *)text;
    char *out = sc->folded;
    uint32_t len = 0;
    for (size_t k = 0; k < count; k++) {
        sc->off[k] = len;
        uint64_t h = TOKEN_HASH_SEED;
        for (uint32_t i = tokens[k].start; i < tokens[k].end;) {
            unsigned char c = s[i];
            if (c < 0x80) {
                c = (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
                out[len++] = (char)c;
                h = token_hash_step(h, c);
                i++;
                continue;
            }
            uint32_t cp;
            i += (uint32_t)gls_utf8_decode(s + i, tokens[k].end - i, &cp);
            char enc[4];
            size_t m = gls_utf8_encode(gls_fold_cp(cp), enc);
            if (len + m + 1 > sc->folded_cap) {
                sc->folded_cap = 2 * sc->folded_cap + m;
                sc->folded = gls_xrealloc(sc->folded, sc->folded_cap);
                out = sc->folded;
            }
            for (size_t b = 0; b < m; b++) {
                out[len++] = enc[b];
                h = token_hash_step(h, (unsigned char)enc[b]);
            }
        }
        sc->hash[k] = h;
    }
    sc->off[count] = len;
}

void gls_match_tokens_scratch(const gls_glossary_t *g, const char *text,
                              const gls_token_t *tokens, size_t count, gls_match_scratch_t *sc,
                              gls_matches_t *out)
{
    const gls_index_t *idx = g->index;
    if (!idx || count == 0)
        return;
    fold_tokens(sc, text, tokens, count);
    const char *folded = sc->folded;
    const uint32_t *off = sc->off;
    const uint64_t *hash = sc->hash;
    gls_buf_t scratch, vbuf, hbuf;
    gls_buf_init(&hbuf);
    gls_buf_init(&scratch);
    gls_buf_init(&vbuf);

    size_t i = 0;
    while (i < count) {
        candidate_t best = {UINT32_MAX, 0, 0, 0};
        uint32_t node = 0;
        for (size_t j = i; j < count && j - i < idx->max_depth; j++) {
            int cls = j == i ? EDGE_JOIN : edge_class(tokens[j].sep);
            const char *key = folded + off[j];
            size_t klen = off[j + 1] - off[j];
            uint64_t th = hash[j];
            if (cls == EDGE_HARD) {
                hard_key(text, tokens[j - 1].end, tokens[j].start, key, klen, &hbuf);
                key = hbuf.data;
                klen = hbuf.len;
                th = token_hash(key, klen);
            }
            /* Plural and possessive readings end a form here. */
            variant_t vs[6];
            /* Every reading ends in s, an apostrophe or U+2019 (the key is folded). */
            unsigned char lastc = klen ? (unsigned char)key[klen - 1] : 0;
            size_t nv = (lastc == 's' || lastc == '\'' || lastc == 0x99) ? variants(key, klen, vs)
                                                                        : 0;
            for (size_t v = 0; v < nv; v++) {
                gls_buf_clear(&vbuf);
                gls_buf_append(&vbuf, key, vs[v].keep);
                if (vs[v].add_y)
                    gls_buf_putc(&vbuf, 'y');
                uint64_t vh = token_hash(vbuf.data, vbuf.len);
                if (j == i && !root_filter_has(idx, vh))
                    continue;
                uint32_t c = child_of(idx, node, cls, vbuf.data, vbuf.len, vh);
                if (c) {
                    /* The original text's variant has the same shape. */
                    variant_t ov[6];
                    size_t no = variants(text + tokens[j].start, tokens[j].end - tokens[j].start,
                                         ov);
                    if (v < no)
                        consider(g, idx, text, tokens, i, j, c, &ov[v], &best, &scratch);
                }
            }
            if (j == i && !root_filter_has(idx, th))
                break;
            uint32_t c = child_of(idx, node, cls, key, klen, th);
            if (!c)
                break;
            consider(g, idx, text, tokens, i, j, c, NULL, &best, &scratch);
            node = c;
        }
        if (best.form != UINT32_MAX) {
            gls_match_t m;
            m.start = tokens[i].start;
            m.end = tokens[best.last].end;
            m.form = best.form;
            m.concept = g->forms[best.form].concept;
            m.flags = best.flags;
            m.tokens = (uint16_t)(best.last - i + 1);
            gls_matches_push(out, &m);
            i = best.last + 1;
        } else {
            i++;
        }
    }
    gls_buf_close(&scratch);
    gls_buf_close(&vbuf);
    gls_buf_close(&hbuf);
}

void gls_match_tokens(const gls_glossary_t *g, const char *text, const gls_token_t *tokens,
                      size_t count, gls_matches_t *out)
{
    gls_match_scratch_t sc;
    gls_match_scratch_init(&sc);
    gls_match_tokens_scratch(g, text, tokens, count, &sc, out);
    gls_match_scratch_close(&sc);
}

void gls_match_text(const gls_glossary_t *g, const char *text, uint32_t start, uint32_t end,
                    gls_matches_t *out)
{
    gls_tokens_t toks;
    gls_tokens_init(&toks);
    gls_tokenize(text, start, end, GLS_SEP_HARD, &toks);
    gls_match_tokens(g, text, toks.items, toks.count, out);
    gls_tokens_close(&toks);
}

void gls_index_prefix(const gls_glossary_t *g, const char *prefix, size_t len, size_t limit,
                      gls_prefix_cb cb, void *ud)
{
    const gls_index_t *idx = g->index;
    if (!idx)
        return;
    gls_buf_t fp;
    gls_buf_init(&fp);
    gls_fold(prefix, len, &fp);
    /* Keys join words with one space whatever separated them (hyphens,
     * runs of white space): the prefix is normalized the same way. */
    size_t w = 0;
    for (size_t r = 0; r < fp.len; r++) {
        char c = fp.data[r];
        if (c == '-' || c == '\t' || c == '\n')
            c = ' ';
        if (c == ' ' && w > 0 && fp.data[w - 1] == ' ')
            continue;
        fp.data[w++] = c;
    }
    fp.len = w;
    if (fp.data)
        fp.data[w] = '\0';
    const char *keys = idx->keys.data;
    size_t lo = 0, hi = idx->sorted_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const sorted_form_t *s = &idx->sorted[mid];
        size_t n = s->key_len < fp.len ? s->key_len : fp.len;
        int c = memcmp(keys + s->key_off, fp.data ? fp.data : "", n);
        if (c < 0 || (c == 0 && s->key_len < fp.len))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t given = 0;
    for (size_t k = lo; k < idx->sorted_count && given < limit; k++) {
        const sorted_form_t *s = &idx->sorted[k];
        if (s->key_len < fp.len || memcmp(keys + s->key_off, fp.data ? fp.data : "", fp.len) != 0)
            break;
        given++;
        if (cb(ud, s->form))
            break;
    }
    gls_buf_close(&fp);
}
