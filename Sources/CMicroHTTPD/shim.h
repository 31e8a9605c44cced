// The only code that touches libmicrohttpd's C API directly.
//
// Why a shim: MHD_start_daemon is variadic (Swift cannot call it), and MHD_Result,
// MHD_ValueKind and friends are _MHD_FIXED_ENUM types that Swift cannot name. Every
// function here is a small non-variadic wrapper taking plain C types.
#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "connections.h"
#include "framing.h"

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

struct cmhd_request_state {
    char *body;
    size_t len;
    size_t cap;
    int too_large;
    void *pending; ///< set by cmhd_defer until the request is resumed
};

static void cmhd_shim_log(void *cls, const char *fmt, va_list ap) {
    struct cmhd_server *s = (struct cmhd_server *)cls;
    if (s == NULL || s->log == NULL) return;
    char buffer[512];
    vsnprintf(buffer, sizeof buffer, fmt, ap);
    size_t n = strlen(buffer);
    while (n > 0 && (buffer[n - 1] == '\n' || buffer[n - 1] == '\r')) buffer[--n] = 0;
    s->log(s->log_cls, buffer);
}

static enum MHD_Result cmhd_shim_access(void *cls, struct MHD_Connection *connection,
                                        const char *url, const char *method,
                                        const char *version, const char *upload_data,
                                        size_t *upload_data_size, void **req_cls) {
    (void)version;
    struct cmhd_server *s = (struct cmhd_server *)cls;
    struct cmhd_request_state *r = (struct cmhd_request_state *)*req_cls;
    if (r == NULL) {
        int problem = cmhd_framing_problem(connection);
        if (problem != 0) return cmhd_refuse_framing(connection, problem);
        r = (struct cmhd_request_state *)calloc(1, sizeof *r);
        if (r == NULL) return MHD_NO;
        *req_cls = r;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        size_t n = *upload_data_size;
        if (r->len + n > s->max_body) {
            r->too_large = 1;
            n = s->max_body > r->len ? s->max_body - r->len : 0;
        }
        if (n > 0) {
            if (r->len + n > r->cap) {
                size_t cap = r->cap ? r->cap * 2 : 1024;
                while (cap < r->len + n) cap *= 2;
                char *grown = (char *)realloc(r->body, cap);
                if (grown == NULL) return MHD_NO;
                r->body = grown;
                r->cap = cap;
            }
            memcpy(r->body + r->len, upload_data, n);
            r->len += n;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->pending != NULL) {
        void *pending = r->pending;
        r->pending = NULL;
        return s->resumed(s->handler_cls, connection, pending) ? MHD_YES : MHD_NO;
    }
    cmhd_tracker_answering(&s->tracker, connection);
    int queued = s->handler(s->handler_cls, connection, r, url, method,
                            r->body, r->len, r->too_large);
    return queued ? MHD_YES : MHD_NO;
}

static void cmhd_shim_connection(void *cls, struct MHD_Connection *connection,
                                 void **socket_context, enum MHD_ConnectionNotificationCode code) {
    struct cmhd_server *s = (struct cmhd_server *)cls;
    cmhd_tracker_notify(&s->tracker, connection, socket_context, code);
}

static void cmhd_shim_completed(void *cls, struct MHD_Connection *connection,
                                void **req_cls, enum MHD_RequestTerminationCode toe) {
    (void)toe;
    struct cmhd_server *s = (struct cmhd_server *)cls;
    cmhd_tracker_waiting(&s->tracker, connection);
    struct cmhd_request_state *r = (struct cmhd_request_state *)*req_cls;
    if (r != NULL) {
        if (r->pending != NULL) s->discard(s->handler_cls, r->pending);
        free(r->body);
        free(r);
        *req_cls = NULL;
    }
}

/// Starts a daemon with its own poll() threads. Returns NULL on failure (errno is set by
/// libmicrohttpd where it can; bind failures leave EADDRINUSE etc.).
static inline struct cmhd_server *cmhd_start(const struct cmhd_options *o,
                                             cmhd_handler handler, void *handler_cls,
                                             cmhd_log_handler log, void *log_cls) {
    struct cmhd_server *s = (struct cmhd_server *)calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    s->handler = handler;
    s->handler_cls = handler_cls;
    s->log = log;
    s->log_cls = log_cls;
    s->max_body = o->max_body ? o->max_body : 65536;
    s->resumed = o->resumed;
    s->discard = o->discard;
    if (pthread_mutex_init(&s->tracker.lock, NULL) != 0) {
        free(s);
        return NULL;
    }

    /* poll(), not epoll: with epoll and a thread pool, libmicrohttpd 0.9.75's
       MHD_quiesce_daemon removes the listen socket from each worker's epoll set while the
       worker may have just removed it itself (at its connection limit), and then panics
       (abort) on ENOENT. With poll() quiesce only wakes the workers through their ITC. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (o->tls_cert_pem != NULL) flags |= MHD_USE_TLS;

    struct sockaddr_storage address;
    memset(&address, 0, sizeof address);
    int have_address = 0;
    if (o->host != NULL && o->host[0] != 0) {
        struct addrinfo hints, *found = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
        hints.ai_socktype = SOCK_STREAM;
        char port[8];
        snprintf(port, sizeof port, "%u", (unsigned)o->port);
        if (getaddrinfo(o->host, port, &hints, &found) != 0 || found == NULL) {
            pthread_mutex_destroy(&s->tracker.lock);
            free(s);
            return NULL;
        }
        memcpy(&address, found->ai_addr, found->ai_addrlen);
        if (found->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
        freeaddrinfo(found);
        have_address = 1;
    } else {
        flags |= MHD_USE_DUAL_STACK;
    }

    struct MHD_OptionItem items[20];
    int n = 0;
    /* The logger comes first: libmicrohttpd logs options given before it to stderr, and
       complains at every start that it "is not the first option specified". */
    items[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER,
                                         (intptr_t)cmhd_shim_log, s};
    items[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED,
                                         (intptr_t)cmhd_shim_completed, s};
    items[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION,
                                         (intptr_t)cmhd_shim_connection, s};
    if (have_address)
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &address};
    if (o->thread_pool_size > 1)
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE,
                                             (intptr_t)o->thread_pool_size, NULL};
    if (o->connection_limit)
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT,
                                             (intptr_t)o->connection_limit, NULL};
    if (o->connection_timeout)
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT,
                                             (intptr_t)o->connection_timeout, NULL};
    if (o->per_ip_connection_limit)
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                             (intptr_t)o->per_ip_connection_limit, NULL};
    if (o->connection_memory_limit)
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                                             (intptr_t)o->connection_memory_limit, NULL};
    if (o->tls_cert_pem != NULL) {
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0,
                                             (void *)o->tls_cert_pem};
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0,
                                             (void *)o->tls_key_pem};
        if (o->tls_client_ca_pem != NULL)
            items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0,
                                                 (void *)o->tls_client_ca_pem};
        if (o->tls_priorities != NULL)
            items[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
                                                 (void *)o->tls_priorities};
    }
    if (o->listen_reuse)
        items[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL};
    items[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

    s->daemon = MHD_start_daemon(flags, o->port, NULL, NULL, cmhd_shim_access, s,
                                 MHD_OPTION_ARRAY, items, MHD_OPTION_END);
    if (s->daemon == NULL) {
        pthread_mutex_destroy(&s->tracker.lock);
        free(s);
        return NULL;
    }
    return s;
}

/// Parks a request's connection (it costs no worker thread while parked) until cmhd_resume;
/// the access handler is then called again and hands `pending` to the resumed handler. Call
/// only from the handler, for the `request` it was given.
static inline void cmhd_defer(struct MHD_Connection *c, void *request, void *pending) {
    ((struct cmhd_request_state *)request)->pending = pending;
    MHD_suspend_connection(c);
}

/// Wakes a connection parked by cmhd_defer; any thread, exactly once per cmhd_defer.
static inline void cmhd_resume(struct MHD_Connection *c) { MHD_resume_connection(c); }

/// Closes the connections cmhd_reap_policy gives up on (see connections.h); returns how many.
static inline unsigned cmhd_reap(struct cmhd_server *s, const struct cmhd_reap_policy *p) {
    return cmhd_tracker_reap(&s->tracker, p, cmhd_now_ms());
}

/// The port the daemon listens on (useful after binding port 0), or 0.
static inline uint16_t cmhd_bound_port(struct cmhd_server *s) {
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

/// Connections currently open.
static inline unsigned cmhd_current_connections(struct cmhd_server *s) {
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info ? info->num_connections : 0;
}

/// Stops accepting new connections; in-flight ones go on.
static inline void cmhd_quiesce(struct cmhd_server *s) {
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET) close(fd);
}

/// Stops the daemon (closing every connection) and frees the server. NULL does nothing;
/// any other pointer must not be used again (HTTPServer hands it over exactly once).
static inline void cmhd_stop(struct cmhd_server *s) {
    if (s == NULL) return;
    MHD_stop_daemon(s->daemon);
    pthread_mutex_destroy(&s->tracker.lock);
    free(s);
}

/// A request header's value, or NULL. MHD_ValueKind is a fixed enum Swift cannot name.
static inline const char *cmhd_header(struct MHD_Connection *c, const char *name) {
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/// Called for each header or query argument by cmhd_each_*.
typedef void (*cmhd_pair_visitor)(void *cls, const char *key, const char *value);

struct cmhd_visit { cmhd_pair_visitor visit; void *cls; };

static enum MHD_Result cmhd_shim_visit(void *cls, enum MHD_ValueKind kind,
                                       const char *key, const char *value) {
    (void)kind;
    struct cmhd_visit *v = (struct cmhd_visit *)cls;
    v->visit(v->cls, key, value);
    return MHD_YES;
}

/// Visits every request header.
static inline void cmhd_each_header(struct MHD_Connection *c, cmhd_pair_visitor visit, void *cls) {
    struct cmhd_visit v = {visit, cls};
    MHD_get_connection_values(c, MHD_HEADER_KIND, cmhd_shim_visit, &v);
}

/// Visits every query argument (already URL-decoded; repeated keys come once each).
static inline void cmhd_each_query_argument(struct MHD_Connection *c, cmhd_pair_visitor visit,
                                            void *cls) {
    struct cmhd_visit v = {visit, cls};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, cmhd_shim_visit, &v);
}

/// The client's address as text ("127.0.0.1", "::1"), written into `out`.
static inline void cmhd_client_address(struct MHD_Connection *c, char *out, size_t size) {
    out[0] = 0;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return;
    socklen_t len = info->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                            : sizeof(struct sockaddr_in);
    getnameinfo(info->client_addr, len, out, (socklen_t)size, NULL, 0, NI_NUMERICHOST);
}

/// What the TLS client proved with its certificate: 0 none (or plain HTTP), 1 one was
/// presented but does not verify against the trusted client CAs, 2 presented and verified.
/// libmicrohttpd asks for a certificate when given client CAs but never checks it; GnuTLS's
/// verdict is read here, per request, because the session is only reachable through the
/// connection (MHD_CONNECTION_INFO_GNUTLS_SESSION). As Go, a certificate whose extended key
/// usage excludes TLS client authentication does not verify.
static inline int cmhd_client_certificate(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info == NULL || info->tls_session == NULL) return 0;
    gnutls_session_t session = (gnutls_session_t)info->tls_session;
    unsigned int count = 0;
    if (gnutls_certificate_get_peers(session, &count) == NULL || count == 0) return 0;
    unsigned int status = 0;
    gnutls_typed_vdata_st purpose = {GNUTLS_DT_KEY_PURPOSE_OID,
                                     (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0};
    if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) != GNUTLS_E_SUCCESS)
        return 1;
    return status == 0 ? 2 : 1;
}

/// Visits each subject alternative name of the client's certificate (the first one sent),
/// as Go's crypto/x509 prints them: DNS names, e-mail addresses, URIs, IP addresses (IPv4
/// dotted, IPv6 compressed). The key passed to `visit` is "san".
static inline void cmhd_each_client_san(struct MHD_Connection *c, cmhd_pair_visitor visit,
                                        void *cls) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info == NULL || info->tls_session == NULL) return;
    unsigned int count = 0;
    const gnutls_datum_t *peers =
        gnutls_certificate_get_peers((gnutls_session_t)info->tls_session, &count);
    if (peers == NULL || count == 0) return;
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS) return;
    if (gnutls_x509_crt_import(crt, &peers[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS) {
        for (unsigned int i = 0;; i++) {
            char value[1024];
            char text[INET6_ADDRSTRLEN];
            size_t size = sizeof value - 1;
            int type = gnutls_x509_crt_get_subject_alt_name(crt, i, value, &size, NULL);
            if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
            if (type < 0) continue;  /* too long or malformed: cannot match a configured name */
            const unsigned char *raw = (const unsigned char *)value;
            static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
            switch (type) {
            case GNUTLS_SAN_DNSNAME:
            case GNUTLS_SAN_RFC822NAME:
            case GNUTLS_SAN_URI:
                value[size] = 0;
                if (strlen(value) == size) visit(cls, "san", value);
                break;
            case GNUTLS_SAN_IPADDRESS:
                if (size == 16 && memcmp(raw, mapped, 12) == 0) { raw += 12; size = 4; }
                if (inet_ntop(size == 4 ? AF_INET : AF_INET6, raw, text, sizeof text) != NULL &&
                    (size == 4 || size == 16))
                    visit(cls, "san", text);
                break;
            default:
                break;
            }
        }
    }
    gnutls_x509_crt_deinit(crt);
}

/// A response holding a copy of `body`.
static inline struct MHD_Response *cmhd_response(const void *body, size_t len) {
    return MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
}

/// Adds a header; returns 1 on success.
static inline int cmhd_response_header(struct MHD_Response *r, const char *name,
                                       const char *value) {
    return MHD_add_response_header(r, name, value) == MHD_YES;
}

/// Queues the response with `status` and releases our reference; returns 1 on success.
static inline int cmhd_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r) {
    enum MHD_Result result = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return result == MHD_YES;
}

/// 1 when this libmicrohttpd was built with TLS support.
static inline int cmhd_supports_tls(void) {
    return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

#endif
