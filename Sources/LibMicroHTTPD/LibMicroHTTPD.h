// libmicrohttpd as installed, for pkg-config: only the C target CMicroHTTPD includes it (its
// .c files hold the logic).
#include <microhttpd.h>
