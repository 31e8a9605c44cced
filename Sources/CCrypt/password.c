// bcrypt verification for basic auth through libxcrypt's crypt_r.
//
// Why in C: struct crypt_data is 32 KiB (too big for Swift to copy around or for small
// thread stacks), and comparing the hash must not stop at the first differing byte.
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "CCrypt.h"

int ccrypt_verify(const char *password, const char *hash) {
    struct crypt_data *data = (struct crypt_data *)calloc(1, sizeof *data);
    if (data == NULL) return -1;
    const char *computed = crypt_r(password, hash, data);
    int result = -1;
    /* libxcrypt returns "*0"/"*1" (or NULL) for a setting it cannot use. */
    if (computed != NULL && computed[0] != '*') {
        size_t expected = strlen(hash);
        size_t actual = strlen(computed);
        unsigned char difference = (unsigned char)(expected != actual);
        size_t n = expected < actual ? expected : actual;
        for (size_t i = 0; i < n; i++)
            difference |= (unsigned char)(computed[i] ^ hash[i]);
        result = difference == 0;
    }
    explicit_bzero(data, sizeof *data);
    free(data);
    return result;
}
