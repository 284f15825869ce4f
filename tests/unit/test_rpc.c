/* test_rpc.c: the JSON-RPC layer driven directly: bodies in, parsed answers out. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "gls/log.h"
#include "gls/rpc.h"
#include "gls/util.h"

/* Everything the rpc did: the messages it sent (parsed), the handler calls,
 * the requests handlers kept, and the log lines. */
typedef struct ctx {
    gls_rpc_t rpc;
    json_t *sent;        /* array of the sent messages */
    json_t *calls;       /* array of {"method":..., "id":...} per dispatch */
    gls_request_t *kept[16];
    size_t nkept;
    json_t *logs;        /* array of logged lines */
} ctx_t;

static void send_fn(void *ud, char *body, size_t len)
{
    ctx_t *c = ud;
    json_error_t err;
    cr_assert_eq(strlen(body), len);
    json_t *msg = json_loadb(body, len, JSON_ALLOW_NUL, &err);
    cr_assert_not_null(msg, "rpc sent invalid JSON: %s (%s)", body, err.text);
    json_array_append_new(c->sent, msg);
    free(body);
}

/* Answers by method name:
 *   echo            result {"method", "params"}
 *   fail            error -32803 "failed: <method>"
 *   fail_data       error -32801 with data {"why": "edited"}
 *   silent          no answer
 *   defer           kept for later (c->kept)
 *   defer_and_reply defers, then answers at once anyway
 *   anything else   MethodNotFound for a request, nothing for a notification */
static void dispatch_fn(void *ud, gls_request_t *req)
{
    ctx_t *c = ud;
    cr_assert_eq(req->rpc, &c->rpc);
    cr_assert_not_null(req->params);
    cr_assert_eq(req->error_code, 0);
    json_array_append_new(c->calls, json_pack("{s:s,s:O}", "method", req->method, "id",
                                              req->id ? req->id : json_null()));
    const char *m = req->method;
    if (!req->id)
        return;
    if (strcmp(m, "echo") == 0) {
        gls_rpc_reply(req, json_pack("{s:s,s:O}", "method", m, "params", req->params));
    } else if (strcmp(m, "fail") == 0) {
        gls_rpc_reply_error(req, GLS_RPC_REQUEST_FAILED, "failed: %s", m);
    } else if (strcmp(m, "fail_data") == 0) {
        gls_rpc_reply_error_data(req, GLS_RPC_CONTENT_MODIFIED, json_pack("{s:s}", "why", "edited"),
                                 "modified %d", 3);
    } else if (strcmp(m, "silent") == 0) {
        /* the handler forgets to answer */
    } else if (strcmp(m, "defer") == 0) {
        gls_rpc_defer(req);
        cr_assert_lt(c->nkept, GLS_ARRAY_LEN(c->kept));
        c->kept[c->nkept++] = req;
    } else if (strcmp(m, "defer_and_reply") == 0) {
        gls_rpc_defer(req);
        gls_rpc_reply(req, json_string("quick"));
    } else {
        gls_rpc_reply_error(req, GLS_RPC_METHOD_NOT_FOUND, "unknown method %s", m);
    }
}

static void log_sink(void *ud, gls_log_level_t level, const char *message)
{
    ctx_t *c = ud;
    json_array_append_new(c->logs, json_pack("{s:i,s:s}", "level", (int)level, "message", message));
}

static void ctx_init(ctx_t *c)
{
    memset(c, 0, sizeof *c);
    c->sent = json_array();
    c->calls = json_array();
    c->logs = json_array();
    gls_rpc_init(&c->rpc, send_fn, c, dispatch_fn, c);
    gls_log_set_stderr(0);
    gls_log_set_level(GLS_LOG_DEBUG);
    gls_log_set_sink(log_sink, c);
}

static void ctx_close(ctx_t *c)
{
    gls_rpc_close(&c->rpc);
    gls_log_set_sink(NULL, NULL);
    json_decref(c->sent);
    json_decref(c->calls);
    json_decref(c->logs);
}

static void recv_str(ctx_t *c, const char *body)
{
    gls_rpc_receive(&c->rpc, body, strlen(body));
}

static size_t nsent(const ctx_t *c)
{
    return json_array_size(c->sent);
}

/* The i-th sent message (borrowed). */
static json_t *sent(const ctx_t *c, size_t i)
{
    cr_assert_lt(i, nsent(c), "message %zu was not sent (%zu sent)", i, nsent(c));
    return json_array_get(c->sent, i);
}

static char *dump(json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Asserts that 'msg' is an error response with 'id' (stolen; JSON null for
 * null) and 'code'. */
static void assert_error(json_t *msg, json_t *id, int code)
{
    char *s = dump(msg);
    cr_assert_str_eq(json_string_value(json_object_get(msg, "jsonrpc")), "2.0", "%s", s);
    json_t *got = json_object_get(msg, "id");
    cr_assert_not_null(got, "no id in %s", s);
    cr_assert(json_equal(got, id) && json_typeof(got) == json_typeof(id), "wrong id in %s", s);
    json_t *err = json_object_get(msg, "error");
    cr_assert(json_is_object(err), "%s", s);
    cr_assert_null(json_object_get(msg, "result"), "%s", s);
    cr_assert(json_is_integer(json_object_get(err, "code")), "%s", s);
    cr_assert_eq(json_integer_value(json_object_get(err, "code")), code, "%s", s);
    cr_assert(json_is_string(json_object_get(err, "message")), "%s", s);
    cr_assert_gt(strlen(json_string_value(json_object_get(err, "message"))), 0, "%s", s);
    free(s);
    json_decref(id);
}

/* Asserts that 'msg' is a result response with 'id' and 'result' (both stolen). */
static void assert_result(json_t *msg, json_t *id, json_t *result)
{
    char *s = dump(msg);
    cr_assert_str_eq(json_string_value(json_object_get(msg, "jsonrpc")), "2.0", "%s", s);
    json_t *got = json_object_get(msg, "id");
    cr_assert(got && json_equal(got, id) && json_typeof(got) == json_typeof(id), "wrong id in %s",
              s);
    cr_assert_null(json_object_get(msg, "error"), "%s", s);
    cr_assert(json_equal(json_object_get(msg, "result"), result), "wrong result in %s", s);
    cr_assert_eq(json_object_size(msg), 3, "%s", s);
    free(s);
    json_decref(id);
    json_decref(result);
}

/* The result 'echo' gives for 'params' (stolen). */
static json_t *echoed(json_t *params)
{
    return json_pack("{s:s,s:o}", "method", "echo", "params", params);
}

static size_t ncalls(const ctx_t *c)
{
    return json_array_size(c->calls);
}

/* Malformed messages. */

Test(rpc, parse_error)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
    recv_str(&c, "");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\"} trailing");
    cr_assert_eq(nsent(&c), 0, "answers wait for pump");
    cr_assert_eq(gls_rpc_pump(&c.rpc, 100), 0);
    cr_assert_eq(nsent(&c), 3);
    for (size_t i = 0; i < 3; i++)
        assert_error(sent(&c, i), json_null(), GLS_RPC_PARSE_ERROR);
    cr_assert_eq(c.rpc.parse_errors, 3);
    cr_assert_eq(c.rpc.received, 3);
    cr_assert_eq(ncalls(&c), 0);
    ctx_close(&c);
}

Test(rpc, batch_and_non_objects_are_invalid_requests)
{
    static const char *const bodies[] = {
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}]", "[]", "42", "\"echo\"", "null",
        "true", "{\"jsonrpc\":\"2.0\"}",
    };
    ctx_t c;
    ctx_init(&c);
    for (size_t i = 0; i < GLS_ARRAY_LEN(bodies); i++)
        recv_str(&c, bodies[i]);
    gls_rpc_pump(&c.rpc, 100);
    cr_assert_eq(nsent(&c), GLS_ARRAY_LEN(bodies));
    for (size_t i = 0; i < GLS_ARRAY_LEN(bodies); i++)
        assert_error(sent(&c, i), json_null(), GLS_RPC_INVALID_REQUEST);
    const char *batch_msg =
        json_string_value(json_object_get(json_object_get(sent(&c, 0), "error"), "message"));
    cr_assert(strstr(batch_msg, "batch"), "%s", batch_msg);
    cr_assert_eq(ncalls(&c), 0);
    cr_assert_eq(c.rpc.parse_errors, 0);
    ctx_close(&c);
}

Test(rpc, wrong_or_missing_jsonrpc)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"echo\"}");
    recv_str(&c, "{\"id\":\"abc\",\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":2.0,\"id\":6,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0 \",\"id\":7,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"1.0\",\"method\":\"note\"}"); /* a notification: no answer */
    gls_rpc_pump(&c.rpc, 100);
    cr_assert_eq(nsent(&c), 4);
    assert_error(sent(&c, 0), json_integer(5), GLS_RPC_INVALID_REQUEST);
    assert_error(sent(&c, 1), json_string("abc"), GLS_RPC_INVALID_REQUEST);
    assert_error(sent(&c, 2), json_integer(6), GLS_RPC_INVALID_REQUEST);
    assert_error(sent(&c, 3), json_integer(7), GLS_RPC_INVALID_REQUEST);
    cr_assert_eq(ncalls(&c), 0);
    ctx_close(&c);
}

Test(rpc, bad_method)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":17}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":[]}"); /* a notification: no answer */
    gls_rpc_pump(&c.rpc, 100);
    cr_assert_eq(nsent(&c), 2);
    assert_error(sent(&c, 0), json_integer(1), GLS_RPC_INVALID_REQUEST);
    assert_error(sent(&c, 1), json_integer(2), GLS_RPC_INVALID_REQUEST);
    cr_assert_eq(ncalls(&c), 0);
    ctx_close(&c);
}

Test(rpc, integer_and_string_ids_are_echoed_exactly)
{
    static const char *const ids[] = {
        "0", "1", "-1", "2147483648", "9007199254740993", "9223372036854775807",
        "-9223372036854775808", "\"\"", "\"abc\"", "\"1\"", "\"\\u00e9\\ud83d\\ude00\"",
        "\"with \\\"quotes\\\" and \\\\\"",
    };
    ctx_t c;
    ctx_init(&c);
    for (size_t i = 0; i < GLS_ARRAY_LEN(ids); i++) {
        char *body = gls_xasprintf(
            "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"echo\",\"params\":{\"i\":%zu}}", ids[i],
            i);
        recv_str(&c, body);
        free(body);
    }
    gls_rpc_pump(&c.rpc, 100);
    cr_assert_eq(nsent(&c), GLS_ARRAY_LEN(ids));
    for (size_t i = 0; i < GLS_ARRAY_LEN(ids); i++) {
        json_t *id = json_loads(ids[i], JSON_DECODE_ANY, NULL);
        cr_assert_not_null(id);
        assert_result(sent(&c, i), id, echoed(json_pack("{s:i}", "i", (int)i)));
    }
    /* Exactly: the serialized id is the one received. */
    char *s = dump(sent(&c, 5));
    cr_assert(strstr(s, "\"id\":9223372036854775807"), "%s", s);
    free(s);
    s = dump(sent(&c, 1));
    cr_assert(strstr(s, "\"id\":1,") || strstr(s, "\"id\":1}"), "%s", s);
    cr_assert_null(strstr(s, "\"id\":\"1\""), "%s", s);
    free(s);
    cr_assert_eq(ncalls(&c), GLS_ARRAY_LEN(ids));
    ctx_close(&c);
}

Test(rpc, other_id_types_are_invalid_requests_with_null_id)
{
    static const char *const ids[] = {"1.5", "1.0", "1e2", "true", "false", "{}", "{\"a\":1}",
                                      "[]", "[1]", "null"};
    ctx_t c;
    ctx_init(&c);
    for (size_t i = 0; i < GLS_ARRAY_LEN(ids); i++) {
        char *body = gls_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"echo\"}", ids[i]);
        recv_str(&c, body);
        free(body);
    }
    gls_rpc_pump(&c.rpc, 100);
    cr_assert_eq(nsent(&c), GLS_ARRAY_LEN(ids));
    for (size_t i = 0; i < GLS_ARRAY_LEN(ids); i++)
        assert_error(sent(&c, i), json_null(), GLS_RPC_INVALID_REQUEST);
    cr_assert_eq(ncalls(&c), 0);
    ctx_close(&c);
}

Test(rpc, params_must_be_structured)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":\"x\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":3}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"echo\",\"params\":true}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"note\",\"params\":4}"); /* dropped */
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"echo\",\"params\":[1,2]}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"echo\",\"params\":null}");
    gls_rpc_pump(&c.rpc, 100);
    cr_assert_eq(nsent(&c), 6);
    assert_error(sent(&c, 0), json_integer(1), GLS_RPC_INVALID_PARAMS);
    assert_error(sent(&c, 1), json_integer(2), GLS_RPC_INVALID_PARAMS);
    assert_error(sent(&c, 2), json_string("s"), GLS_RPC_INVALID_PARAMS);
    assert_result(sent(&c, 3), json_integer(3), echoed(json_pack("[i,i]", 1, 2)));
    /* Absent params reach the handler as JSON null. */
    assert_result(sent(&c, 4), json_integer(4), echoed(json_null()));
    /* So do null params (eglot sends them with shutdown and exit). */
    assert_result(sent(&c, 5), json_integer(5), echoed(json_null()));
    cr_assert_eq(ncalls(&c), 3);
    ctx_close(&c);
}

/* Dispatch. */

Test(rpc, notifications_are_never_answered)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"note\",\"params\":{}}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"silent\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"no/such/method\",\"params\":[]}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":99}}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\"}");
    cr_assert_eq(c.rpc.queued, 4, "cancel notifications are handled, not queued");
    cr_assert_eq(gls_rpc_pump(&c.rpc, 100), 0);
    cr_assert_eq(nsent(&c), 0);
    cr_assert_eq(ncalls(&c), 4);
    json_t *want = json_pack("[{s:s,s:n},{s:s,s:n},{s:s,s:n},{s:s,s:n}]", "method", "note", "id",
                             "method", "echo", "id", "method", "silent", "id", "method",
                             "no/such/method", "id");
    cr_assert(json_equal(c.calls, want));
    json_decref(want);
    ctx_close(&c);
}

Test(rpc, answers_keep_the_order_of_the_messages)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}");
    recv_str(&c, "not json");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"fail\"}");
    recv_str(&c, "[1]");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"note\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"silent\"}");
    recv_str(&c, "{\"jsonrpc\":\"9\",\"id\":4,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"echo\",\"params\":7}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"nope\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\"}");
    cr_assert_eq(nsent(&c), 0);
    cr_assert_eq(c.rpc.queued, 10);
    cr_assert_eq(gls_rpc_pump(&c.rpc, 1000), 0);
    cr_assert_eq(nsent(&c), 9);
    assert_result(sent(&c, 0), json_integer(1), echoed(json_null()));
    assert_error(sent(&c, 1), json_null(), GLS_RPC_PARSE_ERROR);
    assert_error(sent(&c, 2), json_integer(2), GLS_RPC_REQUEST_FAILED);
    assert_error(sent(&c, 3), json_null(), GLS_RPC_INVALID_REQUEST);
    assert_error(sent(&c, 4), json_integer(3), GLS_RPC_INTERNAL_ERROR);
    assert_error(sent(&c, 5), json_integer(4), GLS_RPC_INVALID_REQUEST);
    assert_error(sent(&c, 6), json_integer(5), GLS_RPC_INVALID_PARAMS);
    assert_error(sent(&c, 7), json_integer(6), GLS_RPC_METHOD_NOT_FOUND);
    assert_result(sent(&c, 8), json_integer(7), echoed(json_null()));
    cr_assert_eq(c.rpc.sent, 9);
    cr_assert_eq(c.rpc.received, 10);
    ctx_close(&c);
}

Test(rpc, handler_errors)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fail\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"fail_data\"}");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 2);
    json_t *e1 = json_object_get(sent(&c, 0), "error");
    cr_assert_str_eq(json_string_value(json_object_get(e1, "message")), "failed: fail");
    cr_assert_eq(json_integer_value(json_object_get(e1, "code")), GLS_RPC_REQUEST_FAILED);
    cr_assert_null(json_object_get(e1, "data"));
    json_t *e2 = json_object_get(sent(&c, 1), "error");
    cr_assert_str_eq(json_string_value(json_object_get(e2, "message")), "modified 3");
    cr_assert_eq(json_integer_value(json_object_get(e2, "code")), GLS_RPC_CONTENT_MODIFIED);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(e2, "data"), "why")),
                     "edited");
    ctx_close(&c);
}

Test(rpc, handler_without_answer_gets_internal_error)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"method\":\"silent\"}");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 1);
    assert_error(sent(&c, 0), json_string("q"), GLS_RPC_INTERNAL_ERROR);
    const char *msg =
        json_string_value(json_object_get(json_object_get(sent(&c, 0), "error"), "message"));
    cr_assert(strstr(msg, "silent"), "%s", msg);
    cr_assert_eq(ncalls(&c), 1);
    cr_assert_null(c.rpc.live, "the request is answered and forgotten");
    ctx_close(&c);
}

/* Regression: gls_rpc_pump read 'answered' and 'deferred' from a request
 * that the handler's answer had already freed (caught by ASan). */
Test(rpc, bug_pump_read_a_request_its_handler_had_freed)
{
    ctx_t c;
    ctx_init(&c);
    for (int i = 0; i < 3; i++)
        recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"defer_and_reply\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"fail\"}");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 5, "one answer each, no internal errors");
    for (size_t i = 0; i < 3; i++)
        assert_result(sent(&c, i), json_integer(1), echoed(json_null()));
    assert_result(sent(&c, 3), json_integer(2), json_string("quick"));
    assert_error(sent(&c, 4), json_integer(3), GLS_RPC_REQUEST_FAILED);
    cr_assert_null(c.rpc.live);
    ctx_close(&c);
}

Test(rpc, pump_budget)
{
    ctx_t c;
    ctx_init(&c);
    for (int i = 0; i < 5; i++) {
        char *body = gls_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"echo\"}", i);
        recv_str(&c, body);
        free(body);
    }
    cr_assert_eq(c.rpc.queued, 5);
    cr_assert_eq(gls_rpc_pump(&c.rpc, 0), 5);
    cr_assert_eq(nsent(&c), 0);
    cr_assert_eq(gls_rpc_pump(&c.rpc, 2), 3);
    cr_assert_eq(nsent(&c), 2);
    cr_assert_eq(gls_rpc_pump(&c.rpc, 1), 2);
    cr_assert_eq(nsent(&c), 3);
    cr_assert_eq(gls_rpc_pump(&c.rpc, 10), 0);
    cr_assert_eq(nsent(&c), 5);
    for (int i = 0; i < 5; i++)
        assert_result(sent(&c, (size_t)i), json_integer(i), echoed(json_null()));
    cr_assert_eq(gls_rpc_pump(&c.rpc, 10), 0);
    cr_assert_eq(nsent(&c), 5);
    cr_assert_null(c.rpc.queue_head);
    cr_assert_null(c.rpc.queue_tail);
    ctx_close(&c);
}

/* Cancellation. */

Test(rpc, cancel_a_queued_request)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":7}}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"x\"}}");
    /* "8" is not 8. */
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"8\"}}");
    cr_assert_eq(nsent(&c), 0, "a queued request is answered in turn, not at once");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 3);
    assert_error(sent(&c, 0), json_integer(7), GLS_RPC_REQUEST_CANCELLED);
    assert_error(sent(&c, 1), json_string("x"), GLS_RPC_REQUEST_CANCELLED);
    assert_result(sent(&c, 2), json_integer(8), echoed(json_null()));
    /* The handler saw only the request that was not cancelled. */
    json_t *want = json_pack("[{s:s,s:i}]", "method", "echo", "id", 8);
    cr_assert(json_equal(c.calls, want));
    json_decref(want);
    ctx_close(&c);
}

Test(rpc, cancel_a_deferred_request)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"defer\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"defer\"}");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 0);
    cr_assert_eq(c.nkept, 2);
    gls_request_t *r9 = c.kept[0], *r10 = c.kept[1];
    cr_assert(r9->deferred);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":9}}");
    /* Answered at once, without a pump. */
    cr_assert_eq(nsent(&c), 1);
    assert_error(sent(&c, 0), json_integer(9), GLS_RPC_REQUEST_CANCELLED);
    cr_assert(r9->cancelled);
    cr_assert(r9->answered);
    /* A second cancel for the same id changes nothing. */
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":9}}");
    cr_assert_eq(nsent(&c), 1);
    /* The handler's late answer only frees the request. */
    gls_rpc_reply(r9, json_string("late"));
    cr_assert_eq(nsent(&c), 1);
    /* The other deferred request is answered normally. */
    cr_assert_not(r10->cancelled);
    gls_rpc_reply(r10, json_string("done"));
    cr_assert_eq(nsent(&c), 2);
    assert_result(sent(&c, 1), json_integer(10), json_string("done"));
    cr_assert_null(c.rpc.live);
    cr_assert_eq(gls_rpc_pump(&c.rpc, 10), 0);
    cr_assert_eq(nsent(&c), 2);
    ctx_close(&c);
}

Test(rpc, cancel_a_deferred_request_answered_with_an_error)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"d\",\"method\":\"defer\"}");
    gls_rpc_pump(&c.rpc, 10);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"d\"}}");
    cr_assert_eq(nsent(&c), 1);
    gls_rpc_reply_error_data(c.kept[0], GLS_RPC_REQUEST_FAILED, json_string("d"), "too late");
    cr_assert_eq(nsent(&c), 1);
    assert_error(sent(&c, 0), json_string("d"), GLS_RPC_REQUEST_CANCELLED);
    ctx_close(&c);
}

Test(rpc, cancel_for_unknown_or_answered_ids_is_ignored)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 1);
    static const char *const cancels[] = {
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":12345}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"nope\"}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1.5}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":[1]}",
    };
    for (size_t i = 0; i < GLS_ARRAY_LEN(cancels); i++)
        recv_str(&c, cancels[i]);
    cr_assert_eq(c.rpc.queued, 0);
    cr_assert_eq(gls_rpc_pump(&c.rpc, 10), 0);
    cr_assert_eq(nsent(&c), 1);
    cr_assert_eq(ncalls(&c), 1);
    ctx_close(&c);
}

Test(rpc, cancel_request_with_an_id_is_an_ordinary_request)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 2);
    assert_result(sent(&c, 0), json_integer(1), echoed(json_null()));
    assert_error(sent(&c, 1), json_integer(2), GLS_RPC_METHOD_NOT_FOUND);
    ctx_close(&c);
}

/* The server's own requests. */

typedef struct response_log {
    int calls;
    json_t *result; /* copies */
    json_t *error;
} response_log_t;

static void on_response(void *ud, json_t *result, json_t *error)
{
    response_log_t *r = ud;
    r->calls++;
    cr_assert((result == NULL) != (error == NULL), "exactly one of result and error");
    json_decref(r->result);
    json_decref(r->error);
    r->result = result ? json_deep_copy(result) : NULL;
    r->error = error ? json_deep_copy(error) : NULL;
}

static void response_log_close(response_log_t *r)
{
    json_decref(r->result);
    json_decref(r->error);
}

Test(rpc, server_request_and_result)
{
    ctx_t c;
    ctx_init(&c);
    response_log_t r1 = {0}, r2 = {0}, r3 = {0};
    long long id1 = gls_rpc_request(&c.rpc, "workspace/configuration",
                                    json_pack("{s:[{s:s}]}", "items", "section", "glossary"),
                                    on_response, &r1);
    long long id2 = gls_rpc_request(&c.rpc, "window/showMessageRequest", NULL, on_response, &r2);
    long long id3 = gls_rpc_request(&c.rpc, "client/registerCapability", NULL, on_response, &r3);
    cr_assert_eq(id1, 1);
    cr_assert_eq(id2, 2);
    cr_assert_eq(id3, 3);
    cr_assert_eq(gls_rpc_outstanding(&c.rpc), 3);
    cr_assert_eq(nsent(&c), 3);
    json_t *want = json_pack("{s:s,s:i,s:s,s:{s:[{s:s}]}}", "jsonrpc", "2.0", "id", 1, "method",
                             "workspace/configuration", "params", "items", "section", "glossary");
    cr_assert(json_equal(sent(&c, 0), want));
    json_decref(want);
    cr_assert_null(json_object_get(sent(&c, 1), "params"));

    /* Answers arrive out of order and run their callbacks at once. */
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32803,\"message\":\"no\"}}");
    cr_assert_eq(r2.calls, 1);
    cr_assert_null(r2.result);
    cr_assert_eq(json_integer_value(json_object_get(r2.error, "code")), -32803);
    cr_assert_str_eq(json_string_value(json_object_get(r2.error, "message")), "no");
    cr_assert_eq(gls_rpc_outstanding(&c.rpc), 2);

    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"strict\":true}]}");
    cr_assert_eq(r1.calls, 1);
    cr_assert_null(r1.error);
    want = json_pack("[{s:b}]", "strict", 1);
    cr_assert(json_equal(r1.result, want));
    json_decref(want);

    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}");
    cr_assert_eq(r3.calls, 1);
    cr_assert(json_is_null(r3.result));
    cr_assert_null(r3.error);
    cr_assert_eq(gls_rpc_outstanding(&c.rpc), 0);

    /* A second answer for the same id is ignored. */
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":0}");
    cr_assert_eq(r1.calls, 1);
    cr_assert_eq(nsent(&c), 3, "responses are never answered");
    cr_assert_eq(c.rpc.queued, 0);
    cr_assert_eq(ncalls(&c), 0);
    response_log_close(&r1);
    response_log_close(&r2);
    response_log_close(&r3);
    ctx_close(&c);
}

/* True when some log line contains 'needle'. */
static int logged(const ctx_t *c, const char *needle)
{
    size_t i;
    json_t *line;
    json_array_foreach(c->logs, i, line) {
        if (strstr(json_string_value(json_object_get(line, "message")), needle))
            return 1;
    }
    return 0;
}

Test(rpc, responses_with_unknown_ids_are_ignored)
{
    ctx_t c;
    ctx_init(&c);
    response_log_t r = {0};
    gls_rpc_request(&c.rpc, "m", NULL, on_response, &r);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":42,\"result\":1}");
    cr_assert(logged(&c, "42"));
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":1}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":1,\"message\":\"boom\"}}");
    cr_assert(logged(&c, "boom"));
    cr_assert_eq(r.calls, 0);
    cr_assert_eq(gls_rpc_outstanding(&c.rpc), 1);
    cr_assert_eq(c.rpc.queued, 0);
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 1, "only the request itself");
    /* The real answer still lands. */
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"ok\"}");
    cr_assert_eq(r.calls, 1);
    cr_assert_str_eq(json_string_value(r.result), "ok");
    response_log_close(&r);
    ctx_close(&c);
}

Test(rpc, request_without_callback)
{
    ctx_t c;
    ctx_init(&c);
    long long id = gls_rpc_request(&c.rpc, "m", json_object(), NULL, NULL);
    cr_assert_eq(gls_rpc_outstanding(&c.rpc), 1);
    char *body = gls_xasprintf("{\"jsonrpc\":\"2.0\",\"id\":%lld,\"result\":{}}", id);
    recv_str(&c, body);
    free(body);
    cr_assert_eq(gls_rpc_outstanding(&c.rpc), 0);
    ctx_close(&c);
}

Test(rpc, close_fails_pending_requests)
{
    ctx_t c;
    ctx_init(&c);
    response_log_t r1 = {0}, r2 = {0};
    gls_rpc_request(&c.rpc, "a", NULL, on_response, &r1);
    gls_rpc_request(&c.rpc, "b", json_object(), on_response, &r2);
    gls_rpc_request(&c.rpc, "c", NULL, NULL, NULL);
    /* Queued messages are freed without being answered. */
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}");
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"note\"}");
    recv_str(&c, "bad json");
    gls_rpc_close(&c.rpc);
    cr_assert_eq(r1.calls, 1);
    cr_assert_eq(r2.calls, 1);
    cr_assert_null(r1.result);
    cr_assert_null(r2.result);
    cr_assert_eq(json_integer_value(json_object_get(r1.error, "code")), GLS_RPC_REQUEST_CANCELLED);
    cr_assert(json_is_string(json_object_get(r2.error, "message")));
    cr_assert_eq(gls_rpc_outstanding(&c.rpc), 0);
    cr_assert_eq(c.rpc.queued, 0);
    cr_assert_null(c.rpc.queue_head);
    cr_assert_eq(nsent(&c), 3, "the three requests; nothing answered at close");
    cr_assert_eq(ncalls(&c), 0);
    /* Closing twice is harmless. */
    gls_rpc_close(&c.rpc);
    cr_assert_eq(r1.calls, 1);
    response_log_close(&r1);
    response_log_close(&r2);
    ctx_close(&c);
}

Test(rpc, close_leaves_deferred_requests_to_their_handlers)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"defer\"}");
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(c.nkept, 1);
    gls_rpc_close(&c.rpc);
    cr_assert_null(c.rpc.live);
    /* The handler still owns it and frees it by answering. */
    gls_rpc_reply(c.kept[0], NULL);
    ctx_close(&c);
}

Test(rpc, notify)
{
    ctx_t c;
    ctx_init(&c);
    gls_rpc_notify(&c.rpc, "window/logMessage", json_pack("{s:i,s:s}", "type", 3, "message",
                                                          "h\xc3\xa9llo \xf0\x9f\x98\x80"));
    gls_rpc_notify(&c.rpc, "exit", NULL);
    cr_assert_eq(nsent(&c), 2);
    json_t *want = json_pack("{s:s,s:s,s:{s:i,s:s}}", "jsonrpc", "2.0", "method",
                             "window/logMessage", "params", "type", 3, "message",
                             "h\xc3\xa9llo \xf0\x9f\x98\x80");
    cr_assert(json_equal(sent(&c, 0), want));
    json_decref(want);
    want = json_pack("{s:s,s:s}", "jsonrpc", "2.0", "method", "exit");
    cr_assert(json_equal(sent(&c, 1), want));
    json_decref(want);
    cr_assert_eq(c.rpc.sent, 2);
    ctx_close(&c);
}

Test(rpc, reply_with_null_result)
{
    ctx_t c;
    ctx_init(&c);
    recv_str(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"defer\"}");
    gls_rpc_pump(&c.rpc, 1);
    gls_rpc_reply(c.kept[0], NULL);
    cr_assert_eq(nsent(&c), 1);
    json_t *msg = sent(&c, 0);
    cr_assert(json_is_null(json_object_get(msg, "result")));
    assert_result(msg, json_integer(1), json_null());
    ctx_close(&c);
}

Test(rpc, body_with_nul_bytes_and_utf8)
{
    ctx_t c;
    ctx_init(&c);
    const char body[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\","
                        "\"params\":{\"t\":\"a\\u0000b \xe6\xbc\xa2\"}}";
    gls_rpc_receive(&c.rpc, body, sizeof body - 1);
    /* Only 'len' bytes count: the same body cut short is a parse error. */
    gls_rpc_receive(&c.rpc, body, 20);
    gls_rpc_pump(&c.rpc, 10);
    cr_assert_eq(nsent(&c), 2);
    json_t *t = json_object_get(json_object_get(json_object_get(sent(&c, 0), "result"), "params"),
                                "t");
    cr_assert_eq(json_string_length(t), 7);
    cr_assert_eq(memcmp(json_string_value(t), "a\0b \xe6\xbc\xa2", 7), 0);
    assert_error(sent(&c, 1), json_null(), GLS_RPC_PARSE_ERROR);
    ctx_close(&c);
}
