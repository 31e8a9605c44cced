// The only code that touches libcurl directly: declarations here, logic in handle.c and
// perform.c. curl_easy_setopt and curl_easy_getinfo are variadic (Swift cannot call them):
// one non-variadic call performs a whole request.
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

#include <curl/curl.h>
#include <stddef.h>

/// One HTTP request. Strings are NUL-terminated; `headers` holds `header_count` lines
/// "Name: value".
struct ccurl_request {
    const char *url;
    const char *method;          ///< "GET" or "POST"
    const char *body;            ///< POST body or NULL
    size_t body_len;
    const char *const *headers;
    size_t header_count;
    long timeout_ms;             ///< whole transfer
    long connect_timeout_ms;
    const char *ca_file;         ///< PEM bundle to trust, or NULL for the system's
    int insecure;                ///< 1 skips certificate and host name verification
    size_t max_response_bytes;   ///< a larger body aborts the transfer (too_large = 1)
    const char *client_cert_file; ///< PEM client certificate for mutual TLS, or NULL
    const char *client_key_file;  ///< its PEM private key, or NULL
    const char *client_key_password; ///< the password of an encrypted client key, or NULL
    /// The client certificate's PEM bytes, presented instead of client_cert_file when not NULL
    /// (copied by libcurl: the pair last checked, never a file half-written mid-rotation).
    const char *client_cert_pem;
    size_t client_cert_pem_len;
    /// Its private key's PEM bytes, presented instead of client_key_file when not NULL.
    const char *client_key_pem;
    size_t client_key_pem_len;
};

/// What came back. Free with ccurl_response_free.
struct ccurl_response {
    CURLcode code;               ///< CURLE_OK when an HTTP answer arrived
    long status;                 ///< HTTP status, 0 when none
    char *body;
    size_t len;
    size_t cap;
    size_t max;
    int too_large;
    long retry_after_seconds;    ///< from a Retry-After header in seconds, -1 when absent
    char error[CURL_ERROR_SIZE]; ///< libcurl's message (names no secrets: no URLs with userinfo)
};

// handle.c

/// A reusable handle (keeps connections alive between requests). NULL on failure.
CURL *ccurl_handle_new(void);

void ccurl_handle_free(CURL *h);

/// libcurl's text for a code.
const char *ccurl_strerror(CURLcode code);

// perform.c

/// Performs `q` on `h`; fills `r` (zeroed by this call). Returns r->code. On return `h` holds
/// no pointer to `q`, `r` or anything they point to.
CURLcode ccurl_perform(CURL *h, const struct ccurl_request *q, struct ccurl_response *r);

void ccurl_response_free(struct ccurl_response *r);

#endif
