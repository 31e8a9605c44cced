// GnuTLS as installed, for pkg-config: the C targets CMicroHTTPD (client certificates) and
// CCrypt (HMAC, certificate checks) include it themselves.
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
