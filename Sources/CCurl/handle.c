// libcurl's handles: initialised once per process, one kept per transport (its connections
// live between requests); libcurl's error texts.
#include <pthread.h>

#include "CCurl.h"

static pthread_once_t ccurl_once = PTHREAD_ONCE_INIT;
static void ccurl_init_once(void) { curl_global_init(CURL_GLOBAL_ALL); }

CURL *ccurl_handle_new(void) {
    pthread_once(&ccurl_once, ccurl_init_once);
    return curl_easy_init();
}

void ccurl_handle_free(CURL *h) { curl_easy_cleanup(h); }

const char *ccurl_strerror(CURLcode code) { return curl_easy_strerror(code); }
