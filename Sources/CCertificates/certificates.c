#define _GNU_SOURCE /* memmem, timegm */
#include "ccertificates.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>
#include <time.h>

static X509 *ccert_parse(const char *pem, size_t len) {
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL) return NULL;
    X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return cert;
}

static int64_t ccert_unix_seconds(const ASN1_TIME *t) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return (int64_t)timegm(&tm);
}

int ccert_read(const char *pem, size_t len, struct ccert_info *out) {
    memset(out, 0, sizeof *out);
    X509 *cert = ccert_parse(pem, len);
    if (cert == NULL) {
        ERR_clear_error();
        return CCERT_BAD_CERTIFICATE;
    }
    out->not_before = ccert_unix_seconds(X509_get0_notBefore(cert));
    out->not_after = ccert_unix_seconds(X509_get0_notAfter(cert));
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    if (serial != NULL) {
        char *hex = BN_bn2hex(serial);
        if (hex != NULL) {
            strncpy(out->serial, hex, sizeof out->serial - 1);
            OPENSSL_free(hex);
        }
        BN_free(serial);
    }
    BIO *name = BIO_new(BIO_s_mem());
    if (name != NULL) {
        X509_NAME_print_ex(name, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
        int n = BIO_read(name, out->subject, (int)sizeof out->subject - 1);
        if (n > 0) out->subject[n] = 0;
        BIO_free(name);
    }
    X509_free(cert);
    return CCERT_OK;
}

/// The password callback: the given password, or none (never a terminal prompt).
static int ccert_password(char *buf, int size, int rwflag, void *u) {
    (void)rwflag;
    const char *password = (const char *)u;
    if (password == NULL) return -1;
    size_t n = strlen(password);
    if (n > (size_t)size) return -1;
    memcpy(buf, password, n);
    return (int)n;
}

int ccert_check_key(const char *cert_pem, size_t cert_len, const char *key_pem, size_t key_len,
                    const char *password) {
    X509 *cert = ccert_parse(cert_pem, cert_len);
    if (cert == NULL) {
        ERR_clear_error();
        return CCERT_BAD_CERTIFICATE;
    }
    BIO *bio = BIO_new_mem_buf(key_pem, (int)key_len);
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, ccert_password, (void *)password) : NULL;
    int encrypted = key_len > 0 && (memmem(key_pem, key_len, "ENCRYPTED", 9) != NULL);
    if (bio != NULL) BIO_free(bio);
    int result;
    if (key == NULL) {
        result = !encrypted ? CCERT_BAD_KEY : password != NULL ? CCERT_WRONG_PASSWORD : CCERT_NEEDS_PASSWORD;
    } else {
        result = X509_check_private_key(cert, key) == 1 ? CCERT_OK : CCERT_KEY_MISMATCH;
        EVP_PKEY_free(key);
    }
    ERR_clear_error();
    X509_free(cert);
    return result;
}
