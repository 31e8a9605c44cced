// libcurl as installed, for pkg-config: only the C target CCurl includes it (its .c files hold
// the logic).
#include <curl/curl.h>
