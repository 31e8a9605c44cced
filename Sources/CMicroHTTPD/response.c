// Answers: a response with a copy of its body, its headers, queued with its status.
#include "internal.h"

struct MHD_Response *cmhd_response(const void *body, size_t len) {
    return MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
}

int cmhd_response_header(struct MHD_Response *r, const char *name, const char *value) {
    return MHD_add_response_header(r, name, value) == MHD_YES;
}

int cmhd_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r) {
    enum MHD_Result result = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return result == MHD_YES;
}
