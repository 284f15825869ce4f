/* fuzz_server.c: the whole message handler, JSON in and JSON out. The
 * input is a session: one message body per line, each framed and sent
 * after an initialize/initialized/didOpen prelude so the fuzzer reaches
 * the feature handlers with a document open. The real server runs on its
 * own loop with the session as its standard input (a regular file) until
 * end of input; it must not crash, leak, or leave a handle open, and
 * everything it writes must be whole Content-Length frames of JSON. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "gls/log.h"
#include "gls/server.h"

static const char *const prelude[] = {
    "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"processId\":null,"
    "\"rootUri\":null,\"capabilities\":{\"textDocument\":{\"hover\":{\"contentFormat\":"
    "[\"markdown\"]},\"diagnostic\":{}}},\"initializationOptions\":{\"inlayHints\":true,"
    "\"semanticTokens\":true,\"workspaceIndex\":false,\"debounceMs\":0}}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
    "{\"uri\":\"file:///f.md\",\"languageId\":\"markdown\",\"version\":1,\"text\":"
    "\"# QBR\\n\\nOur NRR and GRR of 112% rose; the XYZQ team and CLV vs CLTV.\\n\\n"
    "*[XYZQ]: Extra Yield Zone Quota\\n\"}}}",
};

static void put_frame(FILE *f, const char *body, size_t len)
{
    fprintf(f, "Content-Length: %zu\r\n\r\n", len);
    fwrite(body, 1, len, f);
}

/* Every frame the server wrote parses as a JSON object. */
static void check_output(const char *out, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *hdr = out + i;
        if (len - i < 20 || memcmp(hdr, "Content-Length: ", 16) != 0)
            abort();
        char *end;
        unsigned long n = strtoul(hdr + 16, &end, 10);
        if (end + 4 > out + len || memcmp(end, "\r\n\r\n", 4) != 0)
            abort();
        size_t body = (size_t)(end + 4 - out);
        if (body + n > len)
            abort();
        json_error_t err;
        json_t *msg = json_loadb(out + body, n, 0, &err);
        if (!json_is_object(msg))
            abort();
        json_decref(msg);
        i = body + n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        gls_log_set_stderr(0);
        quiet = 1;
    }
    char in_path[] = "/tmp/fuzz-server-in-XXXXXX", out_path[] = "/tmp/fuzz-server-out-XXXXXX";
    int in_fd = mkstemp(in_path), out_fd = mkstemp(out_path);
    if (in_fd < 0 || out_fd < 0)
        abort();
    unlink(in_path);
    unlink(out_path);
    FILE *f = fdopen(dup(in_fd), "w");
    for (size_t k = 0; k < sizeof prelude / sizeof *prelude; k++)
        put_frame(f, prelude[k], strlen(prelude[k]));
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            if (i > start)
                put_frame(f, (const char *)data + start, i - start);
            start = i + 1;
        }
    }
    fclose(f);
    lseek(in_fd, 0, SEEK_SET);

    uv_loop_t loop;
    uv_loop_init(&loop);
    gls_server_options_t opts = {1 << 20, in_fd, out_fd, 0};
    gls_server_run(&loop, &opts);
    if (uv_loop_close(&loop) != 0)
        abort(); /* a handle left open */
    close(in_fd);

    off_t n = lseek(out_fd, 0, SEEK_END);
    char *out = malloc((size_t)n + 1);
    if (n > 0 && pread(out_fd, out, (size_t)n, 0) != n)
        abort();
    check_output(out, (size_t)n);
    free(out);
    close(out_fd);
    return 0;
}
