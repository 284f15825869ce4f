/* fuzz_framing.c: any byte stream, fed in fuzzer-chosen splits, never
 * crashes the framer, and every body it delivers lies within the input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gls/framing.h"

static size_t delivered;

static void on_message(void *ud, const char *body, size_t len)
{
    (void)ud;
    (void)body;
    delivered += len;
}

static void on_error(void *ud, const char *message)
{
    (void)ud;
    (void)message;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gls_framer_t f;
    gls_framer_init(&f, 1 << 16, on_message, on_error, NULL);
    delivered = 0;
    /* The first byte chooses the chunk size, so splits vary too. */
    size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;
    for (size_t i = 1; i < size; i += chunk)
        gls_framer_feed(&f, (const char *)data + i, i + chunk <= size ? chunk : size - i);
    gls_framer_close(&f);
    if (delivered > size)
        __builtin_trap();
    return 0;
}
