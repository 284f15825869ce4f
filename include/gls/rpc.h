/* rpc.h: JSON-RPC 2.0 as LSP uses it (no batches). Parses message bodies,
 * checks the envelope, queues incoming requests and notifications in
 * order, handles $/cancelRequest, matches responses to the server's own
 * requests, and serializes everything it sends. The only module that turns
 * failures into JSON-RPC error objects. Knows nothing of libuv. */
#ifndef GLS_RPC_H
#define GLS_RPC_H

#include <jansson.h>
#include <stddef.h>

/* Error codes from JSON-RPC 2.0 and LSP 3.17. */
enum {
    GLS_RPC_PARSE_ERROR = -32700,
    GLS_RPC_INVALID_REQUEST = -32600,
    GLS_RPC_METHOD_NOT_FOUND = -32601,
    GLS_RPC_INVALID_PARAMS = -32602,
    GLS_RPC_INTERNAL_ERROR = -32603,
    GLS_RPC_SERVER_NOT_INITIALIZED = -32002,
    GLS_RPC_REQUEST_FAILED = -32803,
    GLS_RPC_SERVER_CANCELLED = -32802,
    GLS_RPC_CONTENT_MODIFIED = -32801,
    GLS_RPC_REQUEST_CANCELLED = -32800
};

typedef struct gls_rpc gls_rpc_t;

/* One incoming request or notification. */
typedef struct gls_request {
    gls_rpc_t *rpc;
    json_t *id;      /* NULL for a notification; else a new reference (integer or string) */
    char *method;    /* owned */
    json_t *params;  /* new reference; never NULL (json null when absent) */
    int cancelled;   /* $/cancelRequest arrived for it */
    int answered;    /* a response was sent */
    int deferred;    /* the handler will answer later */
    int error_code;  /* non-zero: a malformed message, answered with this error in turn */
    char *error_message; /* owned; with error_code */
    struct gls_request *next;      /* in the incoming queue */
    struct gls_request *next_live; /* in the list of unanswered requests */
} gls_request_t;

/* Sends one serialized body. Steals 'body' (allocated with gls_xmalloc). */
typedef void (*gls_rpc_send_fn)(void *ud, char *body, size_t len);
/* Handles one dequeued message. For a request, the handler answers with
 * gls_rpc_reply / gls_rpc_reply_error before returning, or calls
 * gls_rpc_defer and answers later. 'req' is borrowed; a notification is
 * freed after the call returns. */
typedef void (*gls_rpc_dispatch_fn)(void *ud, gls_request_t *req);
/* Receives the client's response to a server request. 'result' and
 * 'error' are borrowed; exactly one is non-NULL. 'error' is also set (a
 * synthesized object) when the rpc is closed before the answer came. */
typedef void (*gls_rpc_response_cb)(void *ud, json_t *result, json_t *error);

struct gls_outgoing;

struct gls_rpc {
    gls_rpc_send_fn send;
    void *send_ud;
    gls_rpc_dispatch_fn dispatch;
    void *dispatch_ud;
    gls_request_t *queue_head, *queue_tail; /* received, not yet dispatched */
    size_t queued;
    int paused;           /* set by a handler: gls_rpc_pump stops after it until
                             cleared (the first glossary load); cancellations
                             are still read */
    gls_request_t *live;                    /* requests not yet answered */
    struct gls_outgoing *outgoing;          /* server requests awaiting a response */
    long long next_id;
    /* Counters, for logs and tests. */
    size_t received, sent, parse_errors;
};

void gls_rpc_init(gls_rpc_t *rpc, gls_rpc_send_fn send, void *send_ud,
                  gls_rpc_dispatch_fn dispatch, void *dispatch_ud);
/* Frees queued messages and unanswered requests without answering them;
 * callbacks of outstanding server requests get a synthesized error. */
void gls_rpc_close(gls_rpc_t *rpc);

/* Takes one message body from the framer. Malformed bodies are answered
 * (ParseError, InvalidRequest) right away; valid messages are queued, and
 * a $/cancelRequest marks its target at once. Responses to server
 * requests run their callbacks right away. 'body' is borrowed. */
void gls_rpc_receive(gls_rpc_t *rpc, const char *body, size_t len);

/* Dispatches up to 'budget' queued messages, in order. A cancelled request
 * is answered with RequestCancelled instead of being dispatched. Returns
 * the number still queued. */
size_t gls_rpc_pump(gls_rpc_t *rpc, size_t budget);

/* Answers 'req'. Steals 'result' (NULL means JSON null). Frees 'req'
 * unless it is still queued or its handler is still running inside
 * gls_rpc_pump (which then frees it). Answering twice, or a request already
 * answered because it was cancelled, only frees. */
void gls_rpc_reply(gls_request_t *req, json_t *result);
/* Answers 'req' with an error; 'message' is printf-formatted. Frees 'req'
 * as gls_rpc_reply does. */
void gls_rpc_reply_error(gls_request_t *req, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like gls_rpc_reply_error, with a 'data' member (stolen). */
void gls_rpc_reply_error_data(gls_request_t *req, int code, json_t *data, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The handler keeps 'req' and answers it later from the loop thread. If the
 * client cancels it meanwhile, rpc answers RequestCancelled at once, sets
 * 'cancelled', and the handler's later answer only frees it. */
void gls_rpc_defer(gls_request_t *req);

/* Sends a notification. Steals 'params' (NULL for none). */
void gls_rpc_notify(gls_rpc_t *rpc, const char *method, json_t *params);
/* Sends a request to the client; 'cb' (may be NULL) gets the response.
 * Steals 'params'. Returns the id used. */
long long gls_rpc_request(gls_rpc_t *rpc, const char *method, json_t *params,
                          gls_rpc_response_cb cb, void *ud);

/* Number of server requests still awaiting a response. */
size_t gls_rpc_outstanding(const gls_rpc_t *rpc);

#endif
