// Request framing checks.
//
// Why: libmicrohttpd 0.9.75 takes the first of several Content-Length fields (the rest of
// the body is then read as a second request) and lets Transfer-Encoding override
// Content-Length silently. Either is how requests get smuggled past a proxy that frames the
// message differently, so both are refused (RFC 9112 §6.3) before any body byte is read.
#include <string.h>
#include <strings.h>

#include "internal.h"

struct cmhd_framing_count {
    unsigned content_length;
    unsigned transfer_encoding;
    int chunked_only; ///< every Transfer-Encoding field says exactly "chunked"
};

static enum MHD_Result cmhd_framing_visit(void *cls, enum MHD_ValueKind kind, const char *key,
                                          const char *value) {
    (void)kind;
    struct cmhd_framing_count *n = (struct cmhd_framing_count *)cls;
    if (key == NULL) return MHD_YES;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) n->content_length++;
    if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        n->transfer_encoding++;
        if (value == NULL || strcasecmp(value, "chunked") != 0) n->chunked_only = 0;
    }
    return MHD_YES;
}

/// 0 when the request's length is unambiguous; else the status to refuse it with: 400 for
/// several Content-Length fields or Content-Length with Transfer-Encoding, 501 for a
/// transfer coding other than a single `chunked`.
int cmhd_framing_problem(struct MHD_Connection *c) {
    struct cmhd_framing_count n = {0, 0, 1};
    MHD_get_connection_values(c, MHD_HEADER_KIND, cmhd_framing_visit, &n);
    if (n.content_length > 1) return MHD_HTTP_BAD_REQUEST;
    if (n.transfer_encoding > 0 && n.content_length > 0) return MHD_HTTP_BAD_REQUEST;
    if (n.transfer_encoding > 1 || !n.chunked_only) return MHD_HTTP_NOT_IMPLEMENTED;
    return 0;
}

/// Answers `status` with a short text and `Connection: close`; libmicrohttpd reads no body
/// after a response queued this early and closes the connection once it is sent.
enum MHD_Result cmhd_refuse_framing(struct MHD_Connection *c, int status) {
    static const char bad[] = "Bad Request: ambiguous message length\n";
    static const char unsupported[] = "Not Implemented: transfer coding\n";
    const char *text = status == MHD_HTTP_BAD_REQUEST ? bad : unsupported;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (r == NULL) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    enum MHD_Result result = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return result;
}
