// gzip (RFC 1952) in one call through zlib's deflate with a gzip wrapper (window bits 15 + 16).
#include <zlib.h>

#include "CZlib.h"

int czlib_gzip(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len,
               int level) {
    z_stream s;
    s.zalloc = Z_NULL; s.zfree = Z_NULL; s.opaque = Z_NULL;
    if (deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    s.next_in = (Bytef *)in; s.avail_in = (uInt)len;
    s.next_out = out; s.avail_out = (uInt)*out_len;
    int rc = deflate(&s, Z_FINISH);
    *out_len = s.total_out;
    deflateEnd(&s);
    return rc == Z_STREAM_END ? 0 : -1;
}

size_t czlib_gzip_bound(size_t len) { return compressBound((uLong)len) + 32; }
