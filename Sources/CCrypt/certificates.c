// GnuTLS's reading of the TLS certificate files, as the TLS server will read them (GnuTLS,
// via libmicrohttpd), so a bad file is refused at load with a message, not at bind.
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "CCrypt.h"

int ccrypt_check_key_pair(const char *certificate_pem, const char *key_pem) {
    gnutls_certificate_credentials_t credentials;
    int rc = gnutls_certificate_allocate_credentials(&credentials);
    if (rc < 0) return rc;
    gnutls_datum_t cert = {(unsigned char *)certificate_pem, (unsigned int)strlen(certificate_pem)};
    gnutls_datum_t key = {(unsigned char *)key_pem, (unsigned int)strlen(key_pem)};
    rc = gnutls_certificate_set_x509_key_mem(credentials, &cert, &key, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(credentials);
    return rc < 0 ? rc : 0;
}

int ccrypt_count_trusted(const char *pem) {
    gnutls_certificate_credentials_t credentials;
    int rc = gnutls_certificate_allocate_credentials(&credentials);
    if (rc < 0) return rc;
    gnutls_datum_t data = {(unsigned char *)pem, (unsigned int)strlen(pem)};
    rc = gnutls_certificate_set_x509_trust_mem(credentials, &data, GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(credentials);
    return rc;
}

int ccrypt_certificate_cannot_sign(const char *pem) {
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

const char *ccrypt_error_text(int code) { return gnutls_strerror(code); }
