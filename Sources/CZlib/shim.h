// zlib for gzip-encoded /metrics responses. deflateInit2 is a macro: wrapped here.
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>
#include <stdlib.h>

/// Gzips `len` bytes of `in` into `out` (capacity `*out_len`, updated to the size written).
/// Returns 0 on success, -1 when `out` is too small or zlib fails.
static inline int czlib_gzip(const unsigned char *in, size_t len, unsigned char *out,
                             size_t *out_len, int level) {
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

/// An upper bound of the gzip size of `len` bytes.
static inline size_t czlib_gzip_bound(size_t len) { return compressBound((uLong)len) + 32; }

#endif
