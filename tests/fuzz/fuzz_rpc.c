/* fuzz_rpc.c: any message body through the JSON-RPC layer: every request
 * gets exactly one answer, nothing crashes or leaks. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "gls/rpc.h"

static size_t answers;

static void send_fn(void *ud, char *body, size_t len)
{
    (void)ud;
    (void)len;
    answers++;
    free(body);
}

static void dispatch(void *ud, gls_request_t *req)
{
    (void)ud;
    if (!req->id)
        return;
    /* Answer some, defer none, leave some unanswered (rpc answers -32603). */
    if (req->method[0] && (req->method[0] & 1))
        gls_rpc_reply(req, json_string(req->method));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gls_rpc_t rpc;
    gls_rpc_init(&rpc, send_fn, NULL, dispatch, NULL);
    /* Bodies separated by NUL bytes: several messages per input. */
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == 0) {
            gls_rpc_receive(&rpc, (const char *)data + start, i - start);
            start = i + 1;
        }
    }
    while (gls_rpc_pump(&rpc, 16) > 0)
        ;
    gls_rpc_close(&rpc);
    return 0;
}
