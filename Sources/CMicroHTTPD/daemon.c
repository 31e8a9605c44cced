// The daemon's life: start (options, address, poll() threads), what it reports, quiesce,
// stop; and libmicrohttpd's own error messages handed to Swift.
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

static void cmhd_shim_log(void *cls, const char *fmt, va_list ap) {
    struct cmhd_server *s = (struct cmhd_server *)cls;
    if (s == NULL || s->log == NULL) return;
    char buffer[512];
    vsnprintf(buffer, sizeof buffer, fmt, ap);
    size_t n = strlen(buffer);
    while (n > 0 && (buffer[n - 1] == '\n' || buffer[n - 1] == '\r')) buffer[--n] = 0;
    s->log(s->log_cls, buffer);
}

struct cmhd_server *cmhd_start(const struct cmhd_options *o, cmhd_handler handler,
                               void *handler_cls, cmhd_log_handler log, void *log_cls) {
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

uint16_t cmhd_bound_port(struct cmhd_server *s) {
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

unsigned cmhd_current_connections(struct cmhd_server *s) {
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info ? info->num_connections : 0;
}

void cmhd_quiesce(struct cmhd_server *s) {
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET) close(fd);
}

void cmhd_stop(struct cmhd_server *s) {
    if (s == NULL) return;
    MHD_stop_daemon(s->daemon);
    pthread_mutex_destroy(&s->tracker.lock);
    free(s);
}

int cmhd_supports_tls(void) {
    return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}
