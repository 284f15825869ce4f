/* rpc.c: the JSON-RPC envelope, the incoming queue, cancellation and the
 * server's own requests. */
#include "gls/rpc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gls/log.h"
#include "gls/util.h"

typedef struct gls_outgoing {
    long long id;
    gls_rpc_response_cb cb;
    void *ud;
    struct gls_outgoing *next;
} gls_outgoing_t;

void gls_rpc_init(gls_rpc_t *rpc, gls_rpc_send_fn send, void *send_ud,
                  gls_rpc_dispatch_fn dispatch, void *dispatch_ud)
{
    memset(rpc, 0, sizeof *rpc);
    rpc->send = send;
    rpc->send_ud = send_ud;
    rpc->dispatch = dispatch;
    rpc->dispatch_ud = dispatch_ud;
    rpc->next_id = 1;
}

static void request_free(gls_request_t *req)
{
    free(req->error_message);
    json_decref(req->id);
    json_decref(req->params);
    free(req->method);
    free(req);
}

static void live_remove(gls_rpc_t *rpc, gls_request_t *req)
{
    for (gls_request_t **p = &rpc->live; *p; p = &(*p)->next_live) {
        if (*p == req) {
            *p = req->next_live;
            req->next_live = NULL;
            return;
        }
    }
}

void gls_rpc_close(gls_rpc_t *rpc)
{
    gls_request_t *req = rpc->queue_head;
    while (req) {
        gls_request_t *next = req->next;
        if (req->id)
            live_remove(rpc, req);
        request_free(req);
        req = next;
    }
    rpc->queue_head = rpc->queue_tail = NULL;
    rpc->queued = 0;
    /* Deferred requests still belong to their handlers, which free them
     * when they answer; only forget them here. */
    rpc->live = NULL;
    gls_outgoing_t *o = rpc->outgoing;
    rpc->outgoing = NULL;
    while (o) {
        gls_outgoing_t *next = o->next;
        if (o->cb) {
            json_t *err = json_pack("{s:i,s:s}", "code", GLS_RPC_REQUEST_CANCELLED, "message",
                                    "server shutting down");
            o->cb(o->ud, NULL, err);
            json_decref(err);
        }
        free(o);
        o = next;
    }
}

static void send_json(gls_rpc_t *rpc, json_t *msg)
{
    /* JSON_COMPACT keeps frames small; JSON_ENSURE_ASCII is not needed since
     * the protocol is UTF-8. */
    char *s = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!s) {
        gls_log_error("could not serialize an outgoing message");
        return;
    }
    size_t len = strlen(s);
    /* jansson allocates with malloc, which is what the transport frees with. */
    rpc->sent++;
    rpc->send(rpc->send_ud, s, len);
}

static void send_error(gls_rpc_t *rpc, json_t *id, int code, const char *message, json_t *data)
{
    json_t *err = json_pack("{s:i,s:s}", "code", code, "message", message);
    if (data)
        json_object_set_new(err, "data", data);
    json_t *msg = json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                            "error", err);
    send_json(rpc, msg);
}

static int valid_id(json_t *id)
{
    return id && (json_is_integer(id) || json_is_string(id));
}

static void handle_response(gls_rpc_t *rpc, json_t *msg, json_t *id)
{
    json_t *result = json_object_get(msg, "result");
    json_t *error = json_object_get(msg, "error");
    if (!json_is_integer(id)) {
        if (error)
            gls_log_warn("client sent an error response with no usable id: %s",
                         json_string_value(json_object_get(error, "message"))
                             ? json_string_value(json_object_get(error, "message"))
                             : "(no message)");
        else
            gls_log_warn("client sent a response with no usable id; ignored");
        return;
    }
    long long want = json_integer_value(id);
    for (gls_outgoing_t **p = &rpc->outgoing; *p; p = &(*p)->next) {
        gls_outgoing_t *o = *p;
        if (o->id != want)
            continue;
        *p = o->next;
        if (o->cb) {
            if (error)
                o->cb(o->ud, NULL, error);
            else
                o->cb(o->ud, result ? result : json_null(), NULL);
        }
        free(o);
        return;
    }
    gls_log_warn("client answered unknown request id %lld; ignored", want);
}

static void enqueue(gls_rpc_t *rpc, gls_request_t *req)
{
    if (rpc->queue_tail)
        rpc->queue_tail->next = req;
    else
        rpc->queue_head = req;
    rpc->queue_tail = req;
    rpc->queued++;
}

/* Queues the answer to a malformed message, so that answers keep the order
 * of the messages they answer. 'id' is borrowed and may be NULL. */
static void enqueue_error(gls_rpc_t *rpc, json_t *id, int code, const char *message)
{
    gls_request_t *req = gls_xcalloc(1, sizeof *req);
    req->rpc = rpc;
    req->method = gls_xstrdup("");
    req->params = json_null();
    req->id = id ? json_incref(id) : json_null();
    req->error_code = code;
    req->error_message = gls_xstrdup(message);
    enqueue(rpc, req);
}

static void cancel(gls_rpc_t *rpc, json_t *params)
{
    json_t *id = json_is_object(params) ? json_object_get(params, "id") : NULL;
    if (!valid_id(id))
        return; /* a notification: nothing to answer, nothing to do */
    for (gls_request_t *req = rpc->live; req; req = req->next_live) {
        if (!json_equal(req->id, id) || req->answered)
            continue;
        req->cancelled = 1;
        if (req->deferred) {
            /* The handler is working on it: answer now, let the handler's
             * later answer only free it. */
            send_error(rpc, req->id, GLS_RPC_REQUEST_CANCELLED, "request cancelled", NULL);
            req->answered = 1;
            live_remove(rpc, req);
        }
        /* A queued request is answered when it is dequeued, in order. */
        return;
    }
}

void gls_rpc_receive(gls_rpc_t *rpc, const char *body, size_t len)
{
    json_error_t jerr;
    rpc->received++;
    /* JSON_DECODE_ANY: a scalar is valid JSON, so it is an invalid request
     * (below), not a parse error. */
    json_t *msg = json_loadb(body, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
    if (!msg) {
        rpc->parse_errors++;
        char text[300];
        snprintf(text, sizeof text, "parse error at line %d, column %d: %s", jerr.line,
                 jerr.column, jerr.text[0] ? jerr.text : "out of memory");
        gls_log_error("%s", text);
        enqueue_error(rpc, NULL, GLS_RPC_PARSE_ERROR, text);
        return;
    }
    if (!json_is_object(msg)) {
        enqueue_error(rpc, NULL, GLS_RPC_INVALID_REQUEST,
                      json_is_array(msg) ? "batch messages are not supported by LSP"
                                         : "a message must be a JSON object");
        json_decref(msg);
        return;
    }
    json_t *id = json_object_get(msg, "id");
    json_t *method = json_object_get(msg, "method");
    json_t *version = json_object_get(msg, "jsonrpc");
    int has_id = id != NULL;
    json_t *reply_id = valid_id(id) ? id : NULL;

    if (!method && (json_object_get(msg, "result") || json_object_get(msg, "error"))) {
        handle_response(rpc, msg, id);
        json_decref(msg);
        return;
    }
    const char *problem = NULL;
    if (!json_is_string(version) || strcmp(json_string_value(version), "2.0") != 0)
        problem = "\"jsonrpc\" must be \"2.0\"";
    else if (!method)
        problem = "missing \"method\"";
    else if (!json_is_string(method))
        problem = "\"method\" must be a string";
    else if (has_id && !reply_id)
        problem = "\"id\" must be an integer or a string";
    if (problem) {
        if (has_id || !method) {
            enqueue_error(rpc, reply_id, GLS_RPC_INVALID_REQUEST, problem);
        } else {
            gls_log_error("invalid notification ignored: %s", problem);
        }
        json_decref(msg);
        return;
    }
    /* "params": null is read as absent: eglot (jsonrpc.el) sends it with
     * shutdown and exit. */
    json_t *params = json_object_get(msg, "params");
    if (json_is_null(params))
        params = NULL;
    if (params && !json_is_object(params) && !json_is_array(params)) {
        if (reply_id)
            enqueue_error(rpc, reply_id, GLS_RPC_INVALID_PARAMS,
                          "\"params\" must be an object or an array");
        else
            gls_log_error("notification %s ignored: \"params\" must be an object or an array",
                          json_string_value(method));
        json_decref(msg);
        return;
    }
    const char *name = json_string_value(method);
    if (!reply_id && strcmp(name, "$/cancelRequest") == 0) {
        cancel(rpc, params);
        json_decref(msg);
        return;
    }
    gls_request_t *req = gls_xcalloc(1, sizeof *req);
    req->rpc = rpc;
    req->method = gls_xstrdup(name);
    req->params = params ? json_incref(params) : json_null();
    if (reply_id) {
        req->id = json_incref(reply_id);
        req->next_live = rpc->live;
        rpc->live = req;
    }
    enqueue(rpc, req);
    json_decref(msg);
}

size_t gls_rpc_pump(gls_rpc_t *rpc, size_t budget)
{
    while (budget-- > 0 && rpc->queue_head && !rpc->paused) {
        gls_request_t *req = rpc->queue_head;
        rpc->queue_head = req->next;
        if (!rpc->queue_head)
            rpc->queue_tail = NULL;
        rpc->queued--;
        req->next = NULL;
        if (req->error_code) {
            send_error(rpc, req->id, req->error_code, req->error_message, NULL);
            request_free(req);
            continue;
        }
        if (!req->id) {
            rpc->dispatch(rpc->dispatch_ud, req);
            request_free(req);
            continue;
        }
        if (req->cancelled) {
            gls_rpc_reply_error(req, GLS_RPC_REQUEST_CANCELLED, "request cancelled");
            continue;
        }
        /* While its handler runs, 'req' is marked as being dispatched: an
         * answer given during the call is sent but does not free it, since
         * it is still read here (see finish()). */
        req->next = req;
        rpc->dispatch(rpc->dispatch_ud, req);
        int handler_answered = req->next != req;
        req->next = NULL;
        if (handler_answered)
            request_free(req);
        else if (!req->answered && !req->deferred)
            gls_rpc_reply_error(req, GLS_RPC_INTERNAL_ERROR, "%s: no answer produced",
                                req->method);
    }
    return rpc->queued;
}

/* Sends 'msg' for 'req' unless it was already answered, then frees it;
 * gls_rpc_pump frees it instead when its handler is still running (marked
 * by 'next' pointing at itself), and learns from the cleared mark that the
 * handler answered. */
static void finish(gls_request_t *req, json_t *msg)
{
    gls_rpc_t *rpc = req->rpc;
    if (!req->answered) {
        req->answered = 1;
        live_remove(rpc, req);
        send_json(rpc, msg);
    } else {
        json_decref(msg);
    }
    if (req->next == req)
        req->next = NULL;
    else
        request_free(req);
}

void gls_rpc_reply(gls_request_t *req, json_t *result)
{
    json_t *msg = json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", req->id, "result",
                            result ? result : json_null());
    finish(req, msg);
}

static void reply_error_v(gls_request_t *req, int code, json_t *data, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void reply_error_v(gls_request_t *req, int code, json_t *data, const char *fmt, va_list ap)
{
    char text[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    json_t *err = json_pack("{s:i,s:s}", "code", code, "message", text);
    if (data)
        json_object_set_new(err, "data", data);
    json_t *msg = json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", req->id, "error", err);
    finish(req, msg);
}

void gls_rpc_reply_error(gls_request_t *req, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reply_error_v(req, code, NULL, fmt, ap);
    va_end(ap);
}

void gls_rpc_reply_error_data(gls_request_t *req, int code, json_t *data, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reply_error_v(req, code, data, fmt, ap);
    va_end(ap);
}

void gls_rpc_defer(gls_request_t *req)
{
    req->deferred = 1;
}

void gls_rpc_notify(gls_rpc_t *rpc, const char *method, json_t *params)
{
    json_t *msg = json_pack("{s:s,s:s}", "jsonrpc", "2.0", "method", method);
    if (params)
        json_object_set_new(msg, "params", params);
    send_json(rpc, msg);
}

long long gls_rpc_request(gls_rpc_t *rpc, const char *method, json_t *params,
                          gls_rpc_response_cb cb, void *ud)
{
    long long id = rpc->next_id++;
    gls_outgoing_t *o = gls_xcalloc(1, sizeof *o);
    o->id = id;
    o->cb = cb;
    o->ud = ud;
    o->next = rpc->outgoing;
    rpc->outgoing = o;
    json_t *msg = json_pack("{s:s,s:I,s:s}", "jsonrpc", "2.0", "id", (json_int_t)id, "method",
                            method);
    if (params)
        json_object_set_new(msg, "params", params);
    send_json(rpc, msg);
    return id;
}

size_t gls_rpc_outstanding(const gls_rpc_t *rpc)
{
    size_t n = 0;
    for (const gls_outgoing_t *o = rpc->outgoing; o; o = o->next)
        n++;
    return n;
}
