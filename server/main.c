/* main.c: command-line front end: the LSP server (default, --stdio),
 * --version and --help. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "gls/cli.h"
#include "gls/framing.h"
#include "gls/log.h"
#include "gls/server.h"
#include "gls/version.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: glossary-ls [--stdio] [options]\n"
            "       glossary-ls check [--format text|json|github|sarif] [--glossary FILE]...\n"
            "                         [--config FILE] [--no-builtin] [--no-cache]\n"
            "                         [--rule NAME=SEVERITY]...\n"
            "                         [--fix] [--jobs N] [--shard I/N]\n"
            "                         [--fail-on SEVERITY] PATH... | -\n"
            "       glossary-ls explain TERM\n"
            "       glossary-ls glossary lint FILE...\n"
            "       glossary-ls glossary export [--format json|markdown|tbx]\n"
            "                                   [--glossary FILE]... [--no-builtin]\n"
            "       glossary-ls glossary import FILE [--from FORMAT] [--to json|markdown|tbx]\n"
            "       glossary-ls --version | --help\n"
            "\n"
            "Runs the glossary language server on standard input and output, or\n"
            "checks files for CI ('check': exit 0 clean, 1 findings at or above\n"
            "--fail-on (default warning), 2 usage or I/O error).\n"
            "\n"
            "options:\n"
            "  --stdio                  speak LSP on stdin/stdout (the default)\n"
            "  --max-message-size=N     discard incoming messages larger than N bytes\n"
            "                           (default %zu, 64 MiB)\n"
            "  --log-level=LEVEL        error, warning, info (default) or debug\n"
            "  --parent-poll-ms=N       how often to check that the client process\n"
            "                           (initialize's processId) is alive (default 3000)\n"
            "  --version                print the version and exit\n"
            "  --help                   print this help and exit\n",
            GLS_FRAMING_DEFAULT_MAX_MESSAGE);
}

/* Parses a positive size with an optional K/M/G suffix; 0 on error. */
static size_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return 0;
    if (*end == 'K' || *end == 'k')
        v <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        v <<= 20, end++;
    else if (*end == 'G' || *end == 'g')
        v <<= 30, end++;
    return *end ? 0 : (size_t)v;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "check") == 0)
        return gls_cli_check(argc - 2, argv + 2);
    if (argc > 1 && strcmp(argv[1], "explain") == 0)
        return gls_cli_explain(argc - 2, argv + 2);
    if (argc > 1 && strcmp(argv[1], "glossary") == 0)
        return gls_cli_glossary(argc - 2, argv + 2);
    gls_server_options_t opts = {0};
    opts.in_fd = 0;
    opts.out_fd = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("glossary-ls %s\n", GLS_VERSION);
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--stdio") == 0) {
            continue;
        } else if (strncmp(a, "--max-message-size=", 19) == 0) {
            opts.max_message = parse_size(a + 19);
            if (!opts.max_message) {
                fprintf(stderr, "glossary-ls: invalid --max-message-size '%s'\n", a + 19);
                return 2;
            }
        } else if (strncmp(a, "--log-level=", 12) == 0) {
            const char *l = a + 12;
            if (strcmp(l, "error") == 0)
                gls_log_set_level(GLS_LOG_ERROR);
            else if (strcmp(l, "warning") == 0)
                gls_log_set_level(GLS_LOG_WARNING);
            else if (strcmp(l, "info") == 0)
                gls_log_set_level(GLS_LOG_INFO);
            else if (strcmp(l, "debug") == 0)
                gls_log_set_level(GLS_LOG_DEBUG);
            else {
                fprintf(stderr, "glossary-ls: invalid --log-level '%s'\n", l);
                return 2;
            }
        } else if (strncmp(a, "--parent-poll-ms=", 17) == 0) {
            size_t ms = parse_size(a + 17);
            if (!ms || ms > 3600000) {
                fprintf(stderr, "glossary-ls: invalid --parent-poll-ms '%s'\n", a + 17);
                return 2;
            }
            opts.parent_poll_ms = (unsigned)ms;
        } else if (strncmp(a, "--clientProcessId=", 18) == 0) {
            /* Some clients (vscode-languageclient) pass this; initialize's
             * processId is what we watch, so it is accepted and not needed. */
            continue;
        } else {
            fprintf(stderr, "glossary-ls: unknown argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }

    uv_loop_t loop;
    if (uv_loop_init(&loop) != 0) {
        fprintf(stderr, "glossary-ls: cannot create the event loop\n");
        return 1;
    }
    int code = gls_server_run(&loop, &opts);
    int rc = uv_loop_close(&loop);
    if (rc != 0) {
        /* A handle was left open: a bug, reported loudly for the tests. */
        fprintf(stderr, "glossary-ls: uv_loop_close: %s\n", uv_strerror(rc));
        return 3;
    }
    return code;
}
