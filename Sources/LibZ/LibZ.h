// zlib as installed, for pkg-config: only the C target CZlib includes it (its .c file holds the
// logic).
#include <zlib.h>
