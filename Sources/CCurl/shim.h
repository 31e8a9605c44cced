// The only code that touches libcurl directly. curl_easy_setopt and curl_easy_getinfo are
// variadic (Swift cannot call them): one non-variadic call performs a whole request.
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static pthread_once_t ccurl_once = PTHREAD_ONCE_INIT;
static void ccurl_init_once(void) { curl_global_init(CURL_GLOBAL_ALL); }

/// A reusable handle (keeps connections alive between requests). NULL on failure.
static inline CURL *ccurl_handle_new(void) {
    pthread_once(&ccurl_once, ccurl_init_once);
    return curl_easy_init();
}

static inline void ccurl_handle_free(CURL *h) { curl_easy_cleanup(h); }

static size_t ccurl_write(char *data, size_t size, size_t count, void *cls) {
    struct ccurl_response *r = (struct ccurl_response *)cls;
    size_t n = size * count;
    if (r->len + n > r->max) {
        r->too_large = 1;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16384;
        while (cap < r->len + n) cap *= 2;
        char *grown = (char *)realloc(r->body, cap);
        if (grown == NULL) return 0;
        r->body = grown;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    return n;
}

static size_t ccurl_header(char *data, size_t size, size_t count, void *cls) {
    struct ccurl_response *r = (struct ccurl_response *)cls;
    size_t n = size * count;
    static const char name[] = "retry-after:";
    if (n > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
        char value[32];
        size_t v = n - (sizeof name - 1);
        if (v >= sizeof value) v = sizeof value - 1;
        memcpy(value, data + sizeof name - 1, v);
        value[v] = 0;
        char *end = NULL;
        long seconds = strtol(value, &end, 10);
        if (end != value && seconds >= 0) r->retry_after_seconds = seconds;
    }
    return n;
}

/// Performs `q` on `h`; fills `r` (zeroed by this call). Returns r->code. On return `h` holds
/// no pointer to `q`, `r` or anything they point to.
static inline CURLcode ccurl_perform(CURL *h, const struct ccurl_request *q,
                                     struct ccurl_response *r) {
    memset(r, 0, sizeof *r);
    r->retry_after_seconds = -1;
    r->max = q->max_response_bytes ? q->max_response_bytes : (size_t)64 << 20;
    curl_easy_reset(h);
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < q->header_count; i++) list = curl_slist_append(list, q->headers[i]);
    curl_easy_setopt(h, CURLOPT_URL, q->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl decodes */
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, q->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, q->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, ccurl_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, ccurl_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->error);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    if (q->ca_file != NULL) curl_easy_setopt(h, CURLOPT_CAINFO, q->ca_file);
    if (q->client_cert_file != NULL) curl_easy_setopt(h, CURLOPT_SSLCERT, q->client_cert_file);
    if (q->client_key_file != NULL) curl_easy_setopt(h, CURLOPT_SSLKEY, q->client_key_file);
    if (q->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (q->method != NULL && strcmp(q->method, "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->body ? q->body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)q->body_len);
    } else if (q->method != NULL && strcmp(q->method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (q->method != NULL && strcmp(q->method, "GET") != 0) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
    }
    r->code = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    /* The handle outlives this call (it keeps connections alive), but `r` (WRITEDATA,
       HEADERDATA, ERRORBUFFER), `list` and `q`'s body belong to the caller, whose memory is
       gone once we return. Reset every option now so that nothing libcurl does later
       (closing a connection in curl_easy_cleanup, say) can reach them; live connections and
       caches survive a reset. */
    curl_easy_reset(h);
    curl_slist_free_all(list);
    return r->code;
}

static inline void ccurl_response_free(struct ccurl_response *r) {
    free(r->body);
    r->body = NULL;
}

/// libcurl's text for a code.
static inline const char *ccurl_strerror(CURLcode code) { return curl_easy_strerror(code); }

#endif
