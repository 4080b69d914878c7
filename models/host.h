/* host.h: a host is a node with a TCP stack bound to IPv4 protocol 6. */
#pragma once

#include "models/node.h"
#include "models/tcp/tcp.h"

G_BEGIN_DECLS

/* Returns: (transfer none): a host owned by @net, whose TCP endpoints
 * start from @tcp_defaults (copied). */
Node *host_new (Network *net, const char *name, Ipv4Addr addr,
                const TcpParams *tcp_defaults);

/* Returns: (transfer none) (nullable): the host's TCP stack; NULL for a
 * router. */
TcpStack *host_tcp (Node *node);

G_END_DECLS
