// One whole request in one non-variadic call: every option set, the body collected up to
// its cap, Retry-After read, and the handle left holding no pointer into the caller's memory.
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "CCurl.h"

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

CURLcode ccurl_perform(CURL *h, const struct ccurl_request *q, struct ccurl_response *r) {
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
    /* A libcurl whose TLS backend cannot take a certificate or key from memory (GnuTLS) refuses
       the blob options: the request then fails with that code instead of going out without
       the client certificate. */
    CURLcode client_tls = CURLE_OK;
    if (q->client_cert_pem != NULL) {
        struct curl_blob cert = {(void *)q->client_cert_pem, q->client_cert_pem_len, CURL_BLOB_COPY};
        client_tls = curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
    } else if (q->client_cert_file != NULL) {
        curl_easy_setopt(h, CURLOPT_SSLCERT, q->client_cert_file);
    }
    if (q->client_key_pem != NULL) {
        struct curl_blob key = {(void *)q->client_key_pem, q->client_key_pem_len, CURL_BLOB_COPY};
        if (client_tls == CURLE_OK) client_tls = curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    } else if (q->client_key_file != NULL) {
        curl_easy_setopt(h, CURLOPT_SSLKEY, q->client_key_file);
    }
    if (q->client_key_password != NULL) curl_easy_setopt(h, CURLOPT_KEYPASSWD, q->client_key_password);
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
    r->code = client_tls != CURLE_OK ? client_tls : curl_easy_perform(h);
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

void ccurl_response_free(struct ccurl_response *r) {
    free(r->body);
    r->body = NULL;
}
