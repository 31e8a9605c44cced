// libxcrypt as installed, for pkg-config: only the C target CCrypt includes it (its .c files
// hold the logic).
#include <crypt.h>
