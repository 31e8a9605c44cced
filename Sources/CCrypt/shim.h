// The exporter's cryptography in C: libxcrypt's crypt_r (bcrypt verification for basic
// auth), GnuTLS's HMAC-SHA256 (the verdict cache's key, so no password is kept in clear) and
// GnuTLS's reading of the TLS certificate files (refused at load, not at bind).
//
// Why a shim: struct crypt_data is 32 KiB (too big for Swift to copy around or for small
// thread stacks), and comparing the hash must not stop at the first differing byte.
// Why HMAC from GnuTLS: neither Swift's standard library nor Foundation on Linux has one
// (CryptoKit is Apple's; swift-crypto is not a dependency), and GnuTLS is linked anyway for
// TLS. Random bytes need no C: Swift's SystemRandomNumberGenerator reads getrandom(2).
#ifndef CCRYPT_SHIM_H
#define CCRYPT_SHIM_H

#include <crypt.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>

/// 1 when `password` hashes to `hash` under the hash's own method and salt (bcrypt `$2y$`,
/// `$2b$`, `$2a$`), 0 when not, -1 when `hash` is not a hash crypt_r understands.
/// The comparison looks at every byte whatever differs first, so its time says nothing.
static inline int ccrypt_verify(const char *password, const char *hash) {
    struct crypt_data *data = (struct crypt_data *)calloc(1, sizeof *data);
    if (data == NULL) return -1;
    const char *computed = crypt_r(password, hash, data);
    int result = -1;
    /* libxcrypt returns "*0"/"*1" (or NULL) for a setting it cannot use. */
    if (computed != NULL && computed[0] != '*') {
        size_t expected = strlen(hash);
        size_t actual = strlen(computed);
        unsigned char difference = (unsigned char)(expected != actual);
        size_t n = expected < actual ? expected : actual;
        for (size_t i = 0; i < n; i++)
            difference |= (unsigned char)(computed[i] ^ hash[i]);
        result = difference == 0;
    }
    explicit_bzero(data, sizeof *data);
    free(data);
    return result;
}

/// HMAC-SHA256 of `message` under `key` into `out` (32 bytes). Returns 0 on success.
static inline int ccrypt_hmac_sha256(const void *key, size_t key_len, const void *message,
                                     size_t message_len, unsigned char out[32]) {
    return gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, key_len, message, message_len, out);
}

/// Loads a PEM certificate chain and its private key as the TLS server will (GnuTLS, via
/// libmicrohttpd), so a bad pair is refused at load with a message, not at bind.
/// Returns 0 when they load and match, else a GnuTLS error code (see ccrypt_error_text).
static inline int ccrypt_check_key_pair(const char *certificate_pem, const char *key_pem) {
    gnutls_certificate_credentials_t credentials;
    int rc = gnutls_certificate_allocate_credentials(&credentials);
    if (rc < 0) return rc;
    gnutls_datum_t cert = {(unsigned char *)certificate_pem, (unsigned int)strlen(certificate_pem)};
    gnutls_datum_t key = {(unsigned char *)key_pem, (unsigned int)strlen(key_pem)};
    rc = gnutls_certificate_set_x509_key_mem(credentials, &cert, &key, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(credentials);
    return rc < 0 ? rc : 0;
}

/// The number of CA certificates GnuTLS reads from `pem` (0 or a negative error when none).
static inline int ccrypt_count_trusted(const char *pem) {
    gnutls_certificate_credentials_t credentials;
    int rc = gnutls_certificate_allocate_credentials(&credentials);
    if (rc < 0) return rc;
    gnutls_datum_t data = {(unsigned char *)pem, (unsigned int)strlen(pem)};
    rc = gnutls_certificate_set_x509_trust_mem(credentials, &data, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(credentials);
    return rc;
}

/// 1 when the first certificate in `pem` has a key usage extension without
/// digitalSignature (GnuTLS then refuses to sign with its key: no ECDHE, no TLS 1.3), 0 when
/// it may sign, a negative GnuTLS error when it does not parse.
static inline int ccrypt_certificate_cannot_sign(const char *pem) {
    gnutls_x509_crt_t crt;
    int rc = gnutls_x509_crt_init(&crt);
    if (rc < 0) return rc;
    gnutls_datum_t data = {(unsigned char *)pem, (unsigned int)strlen(pem)};
    rc = gnutls_x509_crt_import(crt, &data, GNUTLS_X509_FMT_PEM);
    if (rc >= 0) {
        unsigned int usage = 0;
        rc = gnutls_x509_crt_get_key_usage(crt, &usage, NULL);
        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) rc = 0;  /* no extension: any use */
        else if (rc >= 0) rc = (usage & GNUTLS_KEY_DIGITAL_SIGNATURE) ? 0 : 1;
    }
    gnutls_x509_crt_deinit(crt);
    return rc;
}

/// GnuTLS's text for an error code.
static inline const char *ccrypt_error_text(int code) { return gnutls_strerror(code); }

#endif
