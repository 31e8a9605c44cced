// Connection tracking for the request deadline (slowloris defence).
//
// Why: libmicrohttpd 0.9.75 has only an inactivity timer, so a client sending one header
// byte a second is never closed, and a few hundred of them fill the connection limit.
// libmicrohttpd tells us when each connection opens and closes (MHD_OPTION_NOTIFY_CONNECTION,
// with its socket) and when each request has arrived whole (the access handler's last call);
// cmhd_reap, called periodically from Swift, shuts down the sockets of connections that have
// waited too long for their request. libmicrohttpd then sees EOF and closes them itself.
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "internal.h"

/// Milliseconds of CLOCK_MONOTONIC.
static inline uint64_t cmhd_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static void cmhd_tracker_unlink(struct cmhd_tracker *k, struct cmhd_tracked *t) {
    if (t->prev) t->prev->next = t->next; else k->head = t->next;
    if (t->next) t->next->prev = t->prev; else k->tail = t->prev;
    t->prev = t->next = NULL;
}

static void cmhd_tracker_append(struct cmhd_tracker *k, struct cmhd_tracked *t) {
    t->prev = k->tail;
    t->next = NULL;
    if (k->tail) k->tail->next = t; else k->head = t;
    k->tail = t;
}

/// MHD_OPTION_NOTIFY_CONNECTION: a connection opened (it waits for its first request from
/// now) or closed. An allocation failure leaves the connection untracked, never reaped.
static void cmhd_tracker_notify(struct cmhd_tracker *k, struct MHD_Connection *c,
                                void **socket_context, enum MHD_ConnectionNotificationCode code) {
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct cmhd_tracked *t = (struct cmhd_tracked *)calloc(1, sizeof *t);
        if (t == NULL) return;
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        t->fd = info ? info->connect_fd : MHD_INVALID_SOCKET;
        t->waiting_since_ms = cmhd_now_ms();
        pthread_mutex_lock(&k->lock);
        cmhd_tracker_append(k, t);
        k->open++;
        pthread_mutex_unlock(&k->lock);
        *socket_context = t;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct cmhd_tracked *t = (struct cmhd_tracked *)*socket_context;
        if (t == NULL) return;
        pthread_mutex_lock(&k->lock);
        cmhd_tracker_unlink(k, t);
        if (!t->closing) k->open--;
        pthread_mutex_unlock(&k->lock);
        free(t);
        *socket_context = NULL;
    }
}

static struct cmhd_tracked *cmhd_tracked_of(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? (struct cmhd_tracked *)info->socket_context : NULL;
}

/// The connection's request arrived whole: it is being answered, not waiting.
void cmhd_tracker_answering(struct cmhd_tracker *k, struct MHD_Connection *c) {
    struct cmhd_tracked *t = cmhd_tracked_of(c);
    if (t == NULL) return;
    pthread_mutex_lock(&k->lock);
    t->waiting_since_ms = 0;
    pthread_mutex_unlock(&k->lock);
}

/// The connection's request was answered (or abandoned): it waits for the next one from now.
void cmhd_tracker_waiting(struct cmhd_tracker *k, struct MHD_Connection *c) {
    struct cmhd_tracked *t = cmhd_tracked_of(c);
    if (t == NULL) return;
    pthread_mutex_lock(&k->lock);
    t->waiting_since_ms = cmhd_now_ms();
    cmhd_tracker_unlink(k, t);
    cmhd_tracker_append(k, t);
    pthread_mutex_unlock(&k->lock);
}

/// Shuts down the sockets of waiting connections the policy gives up on, longest-waiting
/// first; returns how many. Connections being answered are never touched. The socket stays
/// open (libmicrohttpd closes it after its CLOSED notification, which needs the lock held
/// here), so the descriptor cannot have been reused.
static unsigned cmhd_tracker_reap(struct cmhd_tracker *k, const struct cmhd_reap_policy *p,
                                  uint64_t now_ms) {
    unsigned closed = 0;
    pthread_mutex_lock(&k->lock);
    for (struct cmhd_tracked *t = k->head; t != NULL; t = t->next) {
        if (t->closing || t->waiting_since_ms == 0) continue;
        uint64_t waited = now_ms > t->waiting_since_ms ? now_ms - t->waiting_since_ms : 0;
        int late = waited >= p->deadline_ms;
        int crowded = k->open > p->high_water && waited >= p->pressure_grace_ms;
        // Waiting connections further on have waited less: none of them qualifies either.
        if (!late && !crowded) break;
        if (t->fd != MHD_INVALID_SOCKET) shutdown(t->fd, SHUT_RDWR);
        t->closing = 1;
        k->open--;
        closed++;
    }
    pthread_mutex_unlock(&k->lock);
    return closed;
}

void cmhd_shim_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
    struct cmhd_server *s = (struct cmhd_server *)cls;
    cmhd_tracker_notify(&s->tracker, connection, socket_context, code);
}

unsigned cmhd_reap(struct cmhd_server *s, const struct cmhd_reap_policy *p) {
    return cmhd_tracker_reap(&s->tracker, p, cmhd_now_ms());
}
