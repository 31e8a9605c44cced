// TLS client certificates: GnuTLS's verdict on the one presented, its subject alternative
// names and its serial number.
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/// What the TLS client proved with its certificate: 0 none (or plain HTTP), 1 one was
/// presented but does not verify against the trusted client CAs, 2 presented and verified.
/// libmicrohttpd asks for a certificate when given client CAs but never checks it; GnuTLS's
/// verdict is read here, per request, because the session is only reachable through the
/// connection (MHD_CONNECTION_INFO_GNUTLS_SESSION). As Go, a certificate whose extended key
/// usage excludes TLS client authentication does not verify.
int cmhd_client_certificate(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info == NULL || info->tls_session == NULL) return 0;
    gnutls_session_t session = (gnutls_session_t)info->tls_session;
    unsigned int count = 0;
    if (gnutls_certificate_get_peers(session, &count) == NULL || count == 0) return 0;
    unsigned int status = 0;
    gnutls_typed_vdata_st purpose = {GNUTLS_DT_KEY_PURPOSE_OID,
                                     (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0};
    if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) != GNUTLS_E_SUCCESS)
        return 1;
    return status == 0 ? 2 : 1;
}

/// Visits each subject alternative name of the client's certificate (the first one sent),
/// as Go's crypto/x509 prints them: DNS names, e-mail addresses, URIs, IP addresses (IPv4
/// dotted, IPv6 compressed). The key passed to `visit` is "san".
void cmhd_each_client_san(struct MHD_Connection *c, cmhd_pair_visitor visit, void *cls) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info == NULL || info->tls_session == NULL) return;
    unsigned int count = 0;
    const gnutls_datum_t *peers =
        gnutls_certificate_get_peers((gnutls_session_t)info->tls_session, &count);
    if (peers == NULL || count == 0) return;
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS) return;
    if (gnutls_x509_crt_import(crt, &peers[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS) {
        for (unsigned int i = 0;; i++) {
            char value[1024];
            char text[INET6_ADDRSTRLEN];
            size_t size = sizeof value - 1;
            int type = gnutls_x509_crt_get_subject_alt_name(crt, i, value, &size, NULL);
            if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
            if (type < 0) continue;  /* too long or malformed: cannot match a configured name */
            const unsigned char *raw = (const unsigned char *)value;
            static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
            switch (type) {
            case GNUTLS_SAN_DNSNAME:
            case GNUTLS_SAN_RFC822NAME:
            case GNUTLS_SAN_URI:
                value[size] = 0;
                if (strlen(value) == size) visit(cls, "san", value);
                break;
            case GNUTLS_SAN_IPADDRESS:
                if (size == 16 && memcmp(raw, mapped, 12) == 0) { raw += 12; size = 4; }
                if (inet_ntop(size == 4 ? AF_INET : AF_INET6, raw, text, sizeof text) != NULL &&
                    (size == 4 || size == 16))
                    visit(cls, "san", text);
                break;
            default:
                break;
            }
        }
    }
    gnutls_x509_crt_deinit(crt);
}

int cmhd_client_serial(struct MHD_Connection *c, char *out, size_t size) {
    if (size == 0) return -1;
    out[0] = 0;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (info == NULL || info->tls_session == NULL) return -1;
    unsigned int count = 0;
    const gnutls_datum_t *peers =
        gnutls_certificate_get_peers((gnutls_session_t)info->tls_session, &count);
    if (peers == NULL || count == 0) return -1;
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS) return -1;
    unsigned char serial[64];
    size_t length = sizeof serial;
    int result = -1;
    if (gnutls_x509_crt_import(crt, &peers[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS &&
        gnutls_x509_crt_get_serial(crt, serial, &length) == GNUTLS_E_SUCCESS) {
        /* DER integers carry a leading 0 byte when the top bit is set; OpenSSL prints none. */
        size_t start = 0;
        while (start + 1 < length && serial[start] == 0) start++;
        static const char digits[] = "0123456789ABCDEF";
        size_t n = 0;
        for (size_t i = start; i < length && n + 2 < size; i++) {
            out[n++] = digits[serial[i] >> 4];
            out[n++] = digits[serial[i] & 15];
        }
        out[n] = 0;
        result = 0;
    }
    gnutls_x509_crt_deinit(crt);
    return result;
}
