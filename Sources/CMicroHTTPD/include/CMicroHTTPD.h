// The only code that touches libmicrohttpd's C API directly: declarations here, logic in the
// .c files beside this folder (daemon.c, request.c, request_fields.c, response.c,
// framing.c, connections.c, client_certificate.c).
//
// Why a shim: MHD_start_daemon is variadic (Swift cannot call it), and MHD_Result,
// MHD_ValueKind and friends are _MHD_FIXED_ENUM types that Swift cannot name. Every
// function here is a small non-variadic wrapper taking plain C types.
#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/// The handler Swift implements: called once per request, after the whole body
/// (at most `max_body` bytes) has arrived. `body_too_large` is 1 when the client sent
/// more than the limit (the body is then truncated). `request` identifies the request for
/// cmhd_defer. Returns 1 when a response was queued or the request deferred.
typedef int (*cmhd_handler)(void *cls, struct MHD_Connection *connection, void *request,
                            const char *url, const char *method,
                            const char *body, size_t body_len, int body_too_large);

/// Called for a deferred request once cmhd_resume woke its connection, with the `pending`
/// pointer given to cmhd_defer; returns 1 when a response was queued.
typedef int (*cmhd_resumed_handler)(void *cls, struct MHD_Connection *connection, void *pending);

/// Called when a deferred request ends without being resumed (the daemon stopped), so the
/// `pending` pointer given to cmhd_defer can be released.
typedef void (*cmhd_discard_handler)(void *cls, void *pending);

/// Called by libmicrohttpd for its own errors (printf-style already formatted by the shim).
typedef void (*cmhd_log_handler)(void *cls, const char *message);

/// Server settings; zero means "libmicrohttpd's default" unless stated.
struct cmhd_options {
    const char *host;               ///< numeric address to bind, NULL or "" for all (dual stack)
    uint16_t port;                  ///< 0 picks a free port (see cmhd_bound_port)
    unsigned thread_pool_size;      ///< worker threads polling with poll()
    unsigned connection_limit;      ///< concurrent connections accepted
    unsigned connection_timeout;    ///< seconds of inactivity before a connection is closed
    unsigned per_ip_connection_limit;
    size_t connection_memory_limit; ///< bytes for headers and buffers per connection
    size_t max_body;                ///< request body bytes kept (more sets body_too_large)
    const char *tls_cert_pem;       ///< non-NULL enables TLS (with tls_key_pem)
    const char *tls_key_pem;
    const char *tls_client_ca_pem;  ///< non-NULL asks clients for a certificate
    const char *tls_priorities;     ///< GnuTLS priority string, NULL for the default
    int listen_reuse;               ///< 1 sets SO_REUSEPORT, so a successor can bind first
    cmhd_resumed_handler resumed;   ///< required: deferred requests are always possible
    cmhd_discard_handler discard;
};

/// When cmhd_reap closes a connection that is waiting for its request (first byte of a new
/// connection, or the next request of a kept-alive one, up to the last byte of its body).
struct cmhd_reap_policy {
    uint64_t deadline_ms;       ///< always, once it has waited this long
    unsigned high_water;        ///< while more than this many connections are open…
    uint64_t pressure_grace_ms; ///< …also once it has waited this long, longest-waiting first
};

/// The open connections, for the request deadline (connections.c). Waiting connections are
/// kept in the order they started waiting, so the list's head has waited longest.
struct cmhd_tracker {
    pthread_mutex_t lock;
    struct cmhd_tracked *head, *tail;
    unsigned open; ///< tracked connections not closing
};

/// A running daemon. Swift holds it as a typed pointer and touches none of its fields.
struct cmhd_server {
    cmhd_handler handler;
    void *handler_cls;
    cmhd_log_handler log;
    void *log_cls;
    size_t max_body;
    cmhd_resumed_handler resumed;
    cmhd_discard_handler discard;
    struct cmhd_tracker tracker;
    struct MHD_Daemon *daemon;
};

// daemon.c: the daemon's life.

/// Starts a daemon with its own poll() threads. Returns NULL on failure (errno is set by
/// libmicrohttpd where it can; bind failures leave EADDRINUSE etc.).
struct cmhd_server *cmhd_start(const struct cmhd_options *o, cmhd_handler handler,
                               void *handler_cls, cmhd_log_handler log, void *log_cls);

/// The port the daemon listens on (useful after binding port 0), or 0.
uint16_t cmhd_bound_port(struct cmhd_server *s);

/// Connections currently open.
unsigned cmhd_current_connections(struct cmhd_server *s);

/// Stops accepting new connections; in-flight ones go on.
void cmhd_quiesce(struct cmhd_server *s);

/// Stops the daemon (closing every connection) and frees the server. NULL does nothing;
/// any other pointer must not be used again (HTTPServer hands it over exactly once).
void cmhd_stop(struct cmhd_server *s);

/// 1 when this libmicrohttpd was built with TLS support.
int cmhd_supports_tls(void);

// request.c: deferring a request.

/// Parks a request's connection (it costs no worker thread while parked) until cmhd_resume;
/// the access handler is then called again and hands `pending` to the resumed handler. Call
/// only from the handler, for the `request` it was given.
void cmhd_defer(struct MHD_Connection *c, void *request, void *pending);

/// Wakes a connection parked by cmhd_defer; any thread, exactly once per cmhd_defer.
void cmhd_resume(struct MHD_Connection *c);

// connections.c: the request deadline (slowloris defence).

/// Closes the connections cmhd_reap_policy gives up on (see connections.c); returns how many.
unsigned cmhd_reap(struct cmhd_server *s, const struct cmhd_reap_policy *p);

// request_fields.c: what a request carries besides its body.

/// A request header's value, or NULL. MHD_ValueKind is a fixed enum Swift cannot name.
const char *cmhd_header(struct MHD_Connection *c, const char *name);

/// Called for each header or query argument by cmhd_each_*.
typedef void (*cmhd_pair_visitor)(void *cls, const char *key, const char *value);

/// Visits every request header.
void cmhd_each_header(struct MHD_Connection *c, cmhd_pair_visitor visit, void *cls);

/// Visits every query argument (already URL-decoded; repeated keys come once each).
void cmhd_each_query_argument(struct MHD_Connection *c, cmhd_pair_visitor visit, void *cls);

/// The client's address as text ("127.0.0.1", "::1"), written into `out`.
void cmhd_client_address(struct MHD_Connection *c, char *out, size_t size);

// client_certificate.c: TLS client certificates.

/// What the TLS client proved with its certificate: 0 none (or plain HTTP), 1 one was
/// presented but does not verify against the trusted client CAs, 2 presented and verified.
int cmhd_client_certificate(struct MHD_Connection *c);

/// Visits each subject alternative name of the client's certificate (the first one sent),
/// as Go's crypto/x509 prints them. The key passed to `visit` is "san".
void cmhd_each_client_san(struct MHD_Connection *c, cmhd_pair_visitor visit, void *cls);

/// The serial number of the client's certificate (the first one sent) in upper-case hex, as
/// `openssl x509 -serial` prints it, written into `out`; 0 when written, -1 without one.
int cmhd_client_serial(struct MHD_Connection *c, char *out, size_t size);

// response.c: answers.

/// A response holding a copy of `body`.
struct MHD_Response *cmhd_response(const void *body, size_t len);

/// Adds a header; returns 1 on success.
int cmhd_response_header(struct MHD_Response *r, const char *name, const char *value);

/// Queues the response with `status` and releases our reference; returns 1 on success.
int cmhd_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r);

#endif
