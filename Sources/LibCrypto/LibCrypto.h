// OpenSSL's libcrypto as installed, for pkg-config: the C target CCertificates (client
// certificates: PEM, X.509, private keys) includes it itself.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
