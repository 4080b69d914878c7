/* host.c: a node with a TCP stack; the stack reports its connections when
 * the run finishes and is freed with the node. */
#include "models/host.h"

#include "models/network_private.h"
#include "models/tcp/tcp_private.h"

static void
host_finish (void *ext)
{
  tcp_stack_report (ext);
}

static void
host_free (void *ext)
{
  tcp_stack_free (ext);
}

static const NodeExtOps host_ext_ops = { host_finish, host_free };

Node *
host_new (Network *net, const char *name, Ipv4Addr addr,
          const TcpParams *tcp_defaults)
{
  Node *node = node_new (net, name, NODE_KIND_HOST, addr);
  TcpStack *stack;
  TcpParams defaults;

  if (tcp_defaults == NULL)
    tcp_params_init (&defaults);
  else
    defaults = *tcp_defaults;
  stack = tcp_stack_new (node, &defaults);
  node__set_ext (node, &host_ext_ops, stack);
  node_set_proto_handler (node, IPV4_PROTO_TCP, tcp__stack_input, stack);
  return node;
}

TcpStack *
host_tcp (Node *node)
{
  if (node_kind (node) != NODE_KIND_HOST)
    return NULL;
  return node__ext (node);
}
