// HMAC-SHA256 (the verdict cache's key, so no password is kept in clear).
//
// Why GnuTLS: neither Swift's standard library nor Foundation on Linux has one (CryptoKit is
// Apple's; swift-crypto is not a dependency), and GnuTLS is linked anyway for TLS. Random
// bytes need no C: Swift's SystemRandomNumberGenerator reads getrandom(2).
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "CCrypt.h"

int ccrypt_hmac_sha256(const void *key, size_t key_len, const void *message, size_t message_len,
                       unsigned char out[32]) {
    return gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, key_len, message, message_len, out);
}
