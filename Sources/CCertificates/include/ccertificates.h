// Reading a PEM client certificate and its private key with OpenSSL's libcrypto (the library
// libcurl presents them with): the certificate's validity and serial, and whether the key
// (decrypted with its password when it is encrypted) belongs to the certificate.
//
// Why C: OpenSSL's PEM readers take a password callback, and its ASN.1 time and integer types
// are macros and opaque structs that Swift cannot use directly.
#ifndef CCERTIFICATES_H
#define CCERTIFICATES_H

#include <stddef.h>
#include <stdint.h>

/// What a certificate says about itself.
struct ccert_info {
    int64_t not_before;   ///< Unix seconds
    int64_t not_after;    ///< Unix seconds
    char serial[128];     ///< upper-case hex, no separators (OpenSSL's BN_bn2hex)
    char subject[512];    ///< RFC 2253 distinguished name, truncated to fit
};

/// Results of ccert_read and ccert_check_key.
enum ccert_result {
    CCERT_OK = 0,
    CCERT_BAD_CERTIFICATE = -1, ///< no PEM certificate in the text
    CCERT_BAD_KEY = -2,         ///< no PEM private key (or an encrypted one without its password)
    CCERT_KEY_MISMATCH = -3,    ///< the key does not belong to the certificate
    CCERT_WRONG_PASSWORD = -4,  ///< the key is encrypted and the password does not decrypt it
    CCERT_NEEDS_PASSWORD = -5,  ///< the key is encrypted and no password was given
};

/// Reads the first certificate of `pem` (`len` bytes) into `out`.
int ccert_read(const char *pem, size_t len, struct ccert_info *out);

/// Checks that the private key in `key_pem` (decrypted with `password` when it is encrypted;
/// NULL: none given, and an encrypted key fails with CCERT_NEEDS_PASSWORD without ever prompting)
/// belongs to the first certificate in `cert_pem`.
int ccert_check_key(const char *cert_pem, size_t cert_len, const char *key_pem, size_t key_len,
                    const char *password);

#endif
