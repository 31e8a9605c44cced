// zlib for gzip-encoded /metrics responses: declarations here, logic in gzip.c
// (deflateInit2 is a macro, which Swift cannot call).
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <stddef.h>

/// Gzips `len` bytes of `in` into `out` (capacity `*out_len`, updated to the size written).
/// Returns 0 on success, -1 when `out` is too small or zlib fails.
int czlib_gzip(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len,
               int level);

/// An upper bound of the gzip size of `len` bytes.
size_t czlib_gzip_bound(size_t len);

#endif
