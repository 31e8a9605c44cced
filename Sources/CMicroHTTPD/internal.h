// What the shim's .c files share and Swift never sees: the per-connection and per-request
// records, and the libmicrohttpd callbacks cmhd_start registers.
#ifndef CMICROHTTPD_INTERNAL_H
#define CMICROHTTPD_INTERNAL_H

#include "CMicroHTTPD.h"

/// One open connection (connections.c), in its tracker's list.
struct cmhd_tracked {
    struct cmhd_tracked *prev, *next;
    MHD_socket fd;
    uint64_t waiting_since_ms; ///< 0 while a request that arrived whole is being answered
    int closing;               ///< its socket was shut down; libmicrohttpd closes it soon
};

/// One request's state between the access handler's calls (request.c).
struct cmhd_request_state {
    char *body;
    size_t len;
    size_t cap;
    int too_large;
    void *pending; ///< set by cmhd_defer until the request is resumed
};

// request.c: MHD_AccessHandlerCallback and MHD_OPTION_NOTIFY_COMPLETED.
enum MHD_Result cmhd_shim_access(void *cls, struct MHD_Connection *connection, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **req_cls);
void cmhd_shim_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                         enum MHD_RequestTerminationCode toe);

// connections.c: MHD_OPTION_NOTIFY_CONNECTION, and the request's arrival and answer.
void cmhd_shim_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code);
void cmhd_tracker_answering(struct cmhd_tracker *k, struct MHD_Connection *c);
void cmhd_tracker_waiting(struct cmhd_tracker *k, struct MHD_Connection *c);

// framing.c: the refusal of ambiguous request framing.
int cmhd_framing_problem(struct MHD_Connection *c);
enum MHD_Result cmhd_refuse_framing(struct MHD_Connection *c, int status);

#endif
