// What a request carries besides its body: headers, query arguments, the client's address.
#include <netdb.h>
#include <sys/socket.h>

#include "internal.h"

const char *cmhd_header(struct MHD_Connection *c, const char *name) {
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

struct cmhd_visit { cmhd_pair_visitor visit; void *cls; };

static enum MHD_Result cmhd_shim_visit(void *cls, enum MHD_ValueKind kind,
                                       const char *key, const char *value) {
    (void)kind;
    struct cmhd_visit *v = (struct cmhd_visit *)cls;
    v->visit(v->cls, key, value);
    return MHD_YES;
}

void cmhd_each_header(struct MHD_Connection *c, cmhd_pair_visitor visit, void *cls) {
    struct cmhd_visit v = {visit, cls};
    MHD_get_connection_values(c, MHD_HEADER_KIND, cmhd_shim_visit, &v);
}

void cmhd_each_query_argument(struct MHD_Connection *c, cmhd_pair_visitor visit, void *cls) {
    struct cmhd_visit v = {visit, cls};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, cmhd_shim_visit, &v);
}

void cmhd_client_address(struct MHD_Connection *c, char *out, size_t size) {
    out[0] = 0;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return;
    socklen_t len = info->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                            : sizeof(struct sockaddr_in);
    getnameinfo(info->client_addr, len, out, (socklen_t)size, NULL, 0, NI_NUMERICHOST);
}
