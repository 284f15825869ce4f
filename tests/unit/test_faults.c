/* test_faults.c: allocation failure injected at every point (or a spread of
 * points) of the glossary loaders and the document store. Each run happens
 * in a forked child with gls_alloc_fail_after set; the child either
 * finishes and checks its result is exactly right, or dies by the
 * allocators' clean abort (SIGABRT after the "out of memory" message).
 * Anything else - a crash, a wrong result, a hang - fails the test. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gls/glossary.h"
#include "gls/loader.h"
#include "gls/document.h"
#include "gls/matcher.h"
#include "gls/util.h"

/* A scenario runs with the injected budget and returns 0 when its result
 * is exactly what a run without faults gives, 2 when the code under test
 * reported the failure as an error of its own (jansson returns NULL when
 * its allocator fails; the loader must say so, not crash), 1 otherwise. */
typedef int (*scenario_fn)(void);

typedef struct outcome {
    int completed, aborted, reported;
} outcome_t;

/* jansson's allocations draw on the same budget, but fail by returning
 * NULL as malloc would, once: jansson reports that as an error, and the
 * loader must turn it into a diagnostic with memory to do so. */
static void *json_budget_malloc(size_t size)
{
    if (gls_alloc_fail_after == 0) {
        gls_alloc_fail_after = -1;
        return NULL;
    }
    if (gls_alloc_fail_after > 0)
        gls_alloc_fail_after--;
    return malloc(size);
}

static void install_json_budget(void)
{
    json_set_alloc_funcs(json_budget_malloc, free);
}

/* Counts the allocations one run of 'fn' makes through our allocators. */
static long count_allocations(scenario_fn fn)
{
    install_json_budget();
    gls_alloc_fail_after = LONG_MAX;
    int rc = fn();
    long used = LONG_MAX - gls_alloc_fail_after;
    gls_alloc_fail_after = -1;
    cr_assert_eq(rc, 0, "the scenario fails even without injected faults");
    return used;
}

/* Runs 'fn' in a child with 'budget' successful allocations; records how
 * it ended and fails the test on anything but completion or a clean abort. */
static void run_with_budget(scenario_fn fn, long budget, outcome_t *out)
{
    int err[2];
    cr_assert_eq(pipe(err), 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(err[1], 2);
        close(err[0]);
        close(err[1]);
        alarm(20); /* a hang is a failure too */
        install_json_budget();
        gls_alloc_fail_after = budget;
        int rc = fn();
        _exit(rc == 0 ? 0 : rc == 2 ? 2 : 7);
    }
    close(err[1]);
    char msg[512];
    size_t n = 0;
    ssize_t r;
    while ((r = read(err[0], msg + n, sizeof msg - 1 - n)) > 0 && n < sizeof msg - 1)
        n += (size_t)r;
    msg[n] = '\0';
    close(err[0]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        out->completed++;
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
        out->reported++;
        return;
    }
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "budget %ld: child ended with status 0x%x, not a clean abort; stderr: %s", budget,
              status, msg);
    cr_assert(strstr(msg, "out of memory") != NULL,
              "budget %ld: aborted without saying why; stderr: %s", budget, msg);
    out->aborted++;
}

/* Every budget up to 'exhaustive', then about 'samples' more spread over the
 * rest, then one past the end (which must complete). */
static outcome_t sweep(scenario_fn fn, long exhaustive, long samples)
{
    long total = count_allocations(fn);
    outcome_t out = {0, 0, 0};
    long step = total > exhaustive ? (total - exhaustive) / samples + 1 : 1;
    for (long budget = 0; budget < total; budget += budget < exhaustive ? 1 : step)
        run_with_budget(fn, budget, &out);
    run_with_budget(fn, total, &out);
    cr_assert_geq(out.completed, 1, "the run with enough memory did not complete");
    cr_assert_geq(out.aborted, total > 0 ? 1 : 0);
    cr_log_info("%ld allocations; %d runs completed, %d aborted cleanly, %d reported an error",
                total, out.completed, out.aborted, out.reported);
    return out;
}

/* ---- scenarios ---- */

static const char json_glossary[] =
    "{\"concepts\": [\n"
    "  {\"id\": \"orbit\", \"term\": \"Orbit Score\", \"abbreviations\": [\"OBS\"],\n"
    "   \"aliases\": [\"orbit rating\"], \"definition\": \"A made-up metric.\",\n"
    "   \"avoid\": [{\"term\": \"orbit grade\", \"use\": \"Orbit Score\"}],\n"
    "   \"seeAlso\": [\"zeta\"]},\n"
    "  {\"id\": \"zeta\", \"term\": \"Zeta Review\", \"definition\": \"Another one.\"}\n"
    "]}\n";

static const char markdown_glossary[] = "# Glossary\n\n"
                                        "## Orbit Score (OBS)\n\n"
                                        "A made-up metric. Also called orbit rating.\n\n"
                                        "## Zeta Review\n\nAnother one.\n\n"
                                        "*[QXR]: Quarterly Executive Review\n";

/* Loads, freezes and checks what a fault-free load gives; a load that
 * reported errors must have said what went wrong. */
static int check_loaded(gls_builder_t *b, int errors, uint32_t concepts, const char *id)
{
    gls_glossary_t *g = gls_builder_freeze(b);
    int rc;
    if (errors > 0)
        rc = g->diags.count > 0 && g->diags.items[0].message[0] ? 2 : 1;
    else
        rc = g->concept_count == concepts && (!id || gls_glossary_find_id(g, id) >= 0) ? 0 : 1;
    gls_glossary_unref(g);
    return rc;
}

static int load_json_scenario(void)
{
    gls_builder_t *b = gls_builder_new("t.json");
    int errors = gls_load_json(b, "t.json", json_glossary, sizeof json_glossary - 1);
    return check_loaded(b, errors, 2, "orbit");
}

static int load_markdown_scenario(void)
{
    gls_builder_t *b = gls_builder_new("t.md");
    int errors =
        gls_load_markdown(b, "t.md", markdown_glossary, sizeof markdown_glossary - 1);
    return check_loaded(b, errors, 3, NULL);
}

static uint32_t builtin_concepts;

static int load_builtin_scenario(void)
{
    gls_builder_t *b = gls_builder_new("built-in");
    int errors = gls_load_builtin(b);
    return check_loaded(b, errors, builtin_concepts, "net-revenue-retention");
}

/* The document store: open, edit, replace, close, with the final texts
 * compared byte for byte. */
static int document_store_scenario(void)
{
    gls_documents_t store;
    gls_documents_init(&store);
    gls_document_t *a = gls_document_new("file:///a.md", "markdown", 1, "one\ntwo\nthree\n", 14);
    gls_document_t *b = gls_document_new("file:///b.md", "markdown", 1, "alpha", 5);
    gls_documents_put(&store, a);
    gls_documents_put(&store, b);
    for (int i = 0; i < 50; i++) {
        gls_document_edit(a, 1, 0, 1, 3, GLS_ENCODING_UTF16, "TWO\nlines", 9);
        gls_document_edit(a, 1, 0, 2, 5, GLS_ENCODING_UTF16, "two", 3);
    }
    gls_document_replace(b, 5, 5, " beta gamma", 11);
    gls_document_set_text(b, "delta\n", 6);
    gls_document_t *c = gls_document_new("file:///a.md", "text", 2, "replaced", 8);
    int ok = gls_documents_get(&store, "file:///b.md") == b && b->len == 6 &&
             memcmp(b->text, "delta\n", 6) == 0 && a->len == 14 &&
             memcmp(a->text, "one\ntwo\nthree\n", 14) == 0 && a->lines.count == 4;
    ok = ok && gls_documents_put(&store, c) == 1 && gls_documents_get(&store, "file:///a.md") == c;
    ok = ok && gls_documents_remove(&store, "file:///b.md") == 0 && store.count == 1;
    gls_documents_close(&store);
    return ok ? 0 : 1;
}

/* ---- tests ---- */

Test(faults, json_loader_every_allocation)
{
    outcome_t o = sweep(load_json_scenario, 100000, 1);
    cr_assert_gt(o.aborted, 10);
    cr_assert_gt(o.reported, 10);
}

Test(faults, markdown_loader_every_allocation)
{
    outcome_t o = sweep(load_markdown_scenario, 100000, 1);
    cr_assert_gt(o.aborted, 10);
}

Test(faults, builtin_glossary_spread_of_allocations)
{
    gls_builder_t *b = gls_builder_new("built-in");
    cr_assert_eq(gls_load_builtin(b), 0);
    gls_glossary_t *g = gls_builder_freeze(b);
    builtin_concepts = g->concept_count;
    gls_glossary_unref(g);
    outcome_t o = sweep(load_builtin_scenario, 200, 200);
    cr_assert_gt(o.aborted + o.reported, 300);
}

Test(faults, document_store_every_allocation)
{
    outcome_t o = sweep(document_store_scenario, 100000, 1);
    cr_assert_gt(o.aborted, 3);
}
