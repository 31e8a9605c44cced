// One request's life: the access handler collecting the body (refusing ambiguous framing
// first), the call into Swift's handler, deferral and resumption, and the release at
// completion.
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum MHD_Result cmhd_shim_access(void *cls, struct MHD_Connection *connection, const char *url,
                                 const char *method, const char *version, const char *upload_data,
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

void cmhd_shim_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                         enum MHD_RequestTerminationCode toe) {
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

void cmhd_defer(struct MHD_Connection *c, void *request, void *pending) {
    ((struct cmhd_request_state *)request)->pending = pending;
    MHD_suspend_connection(c);
}

void cmhd_resume(struct MHD_Connection *c) { MHD_resume_connection(c); }
