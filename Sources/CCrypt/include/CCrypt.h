// The exporter's cryptography in C: declarations here, logic in password.c (libxcrypt's
// crypt_r, bcrypt verification for basic auth), hmac.c (GnuTLS's HMAC-SHA256, the verdict
// cache's key, so no password is kept in clear) and certificates.c (GnuTLS's reading of the
// TLS certificate files, refused at load, not at bind).
#ifndef CCRYPT_SHIM_H
#define CCRYPT_SHIM_H

#include <stddef.h>

/// 1 when `password` hashes to `hash` under the hash's own method and salt (bcrypt `$2y$`,
/// `$2b$`, `$2a$`), 0 when not, -1 when `hash` is not a hash crypt_r understands.
/// The comparison looks at every byte whatever differs first, so its time says nothing.
int ccrypt_verify(const char *password, const char *hash);

/// HMAC-SHA256 of `message` under `key` into `out` (32 bytes). Returns 0 on success.
int ccrypt_hmac_sha256(const void *key, size_t key_len, const void *message, size_t message_len,
                       unsigned char out[32]);

/// Loads a PEM certificate chain and its private key as the TLS server will (GnuTLS, via
/// libmicrohttpd), so a bad pair is refused at load with a message, not at bind.
/// Returns 0 when they load and match, else a GnuTLS error code (see ccrypt_error_text).
int ccrypt_check_key_pair(const char *certificate_pem, const char *key_pem);

/// The number of CA certificates GnuTLS reads from `pem` (0 or a negative error when none).
int ccrypt_count_trusted(const char *pem);

/// 1 when the first certificate in `pem` has a key usage extension without
/// digitalSignature (GnuTLS then refuses to sign with its key: no ECDHE, no TLS 1.3), 0 when
/// it may sign, a negative GnuTLS error when it does not parse.
int ccrypt_certificate_cannot_sign(const char *pem);

/// GnuTLS's text for an error code.
const char *ccrypt_error_text(int code);

#endif
