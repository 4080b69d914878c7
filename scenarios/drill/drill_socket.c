/* drill_socket.c: a socket layer over the TCP model, as Linux behaves for
 * the calls packetdrill scripts make.
 *
 * drill_syscall_start() evaluates the arguments and runs the call's
 * handler (do_socket(), do_connect(), ...).  A handler returns at once
 * (RESULT_DONE, with a return value and errno), or, on a blocking socket,
 * RESULT_BLOCKED: the call is then kept in d->pending, and every TCP
 * callback (on_connected(), on_readable(), ...) runs drill_syscall_poll(),
 * which runs the handler again until it returns.  finish() compares the
 * result and the time with the script.
 *
 * A socket owns no endpoint memory: the stack frees an endpoint after its
 * closed() callback, which clears sock->ep.  Sockets outlive close(), as
 * orphans, until drill_sockets_free().
 */
#include "scenarios/drill/drill_private.h"

#include <string.h>

#include "scenarios/drill/drill_symbols.h"

struct DrillSocket {
  Drill *d;
  int fd;                       /* -1 once closed, or before accept() */
  TcpParams params;             /* what the endpoint is (or will be) given */
  SimTime keepidle_ns;
  gboolean keepalive;
  gboolean reuseaddr;
  gboolean nonblocking;
  gboolean linger_zero;         /* SO_LINGER {1, 0}: close() resets */
  gboolean bound;
  guint16 port;
  TcpEndpoint *ep;              /* (nullable) */
  gboolean listener;
  gboolean connect_called;
  gboolean connect_reported;    /* connect() returned 0 once */
  gboolean established;         /* reached ESTABLISHED */
  gboolean ended;               /* the endpoint reached CLOSED */
  int so_error;                 /* pending error, 0 when none */
  gboolean peer_fin;
  gboolean shut_rd;
  gboolean shut_wr;
  gboolean orphan;              /* close() was called */
  GQueue accept_queue;          /* (element-type DrillSocket) */
};

typedef enum {
  RESULT_DONE,
  RESULT_BLOCKED,
  RESULT_ERROR,                 /* d->error is set */
} Result;

/* Enough zeros for any write: what the application sends is not
 * compared, only how much. */
static const guint8 zeros[16384];

/* ---- callbacks ---- */

static void on_connected (TcpEndpoint *ep, void *user);
static void on_accepted (TcpEndpoint *listener, TcpEndpoint *child,
                         void *user);
static void on_readable (TcpEndpoint *ep, void *user);
static void on_writable (TcpEndpoint *ep, void *user);
static void on_peer_closed (TcpEndpoint *ep, void *user);
static void on_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user);

static const TcpCallbacks callbacks = {
  .connected = on_connected,
  .accepted = on_accepted,
  .readable = on_readable,
  .writable = on_writable,
  .peer_closed = on_peer_closed,
  .closed = on_closed,
};

static DrillSocket *
socket_new (Drill *d, const TcpParams *params, SimTime keepidle_ns)
{
  DrillSocket *s = g_new0 (DrillSocket, 1);

  s->d = d;
  s->fd = -1;
  s->params = *params;
  s->keepidle_ns = keepidle_ns;
  s->keepalive = params->keepalive_idle_ns != 0;
  g_queue_init (&s->accept_queue);
  g_ptr_array_add (d->sockets, s);
  return s;
}

static void
socket_free (gpointer data)
{
  DrillSocket *s = data;

  g_queue_clear (&s->accept_queue);
  g_free (s);
}

void
drill_sockets_init (Drill *d)
{
  d->sockets = g_ptr_array_new_with_free_func (socket_free);
  d->fds = g_ptr_array_new ();
  /* 0, 1 and 2 are stdin, stdout and stderr: the first socket is 3. */
  for (int i = 0; i < 3; i++)
    g_ptr_array_add (d->fds, NULL);
}

void
drill_sockets_free (Drill *d)
{
  g_clear_pointer (&d->fds, g_ptr_array_unref);
  g_clear_pointer (&d->sockets, g_ptr_array_unref);
}

/* The lowest free descriptor, as POSIX requires. */
static int
fd_alloc (Drill *d, DrillSocket *s)
{
  for (guint i = 3; i < d->fds->len; i++)
    if (g_ptr_array_index (d->fds, i) == NULL)
      {
        d->fds->pdata[i] = s;
        s->fd = (int) i;
        return s->fd;
      }
  g_ptr_array_add (d->fds, s);
  s->fd = (int) d->fds->len - 1;
  return s->fd;
}

static DrillSocket *
fd_lookup (Drill *d, gint64 fd)
{
  if (fd < 0 || fd >= (gint64) d->fds->len)
    return NULL;
  return g_ptr_array_index (d->fds, (guint) fd);
}

static void
on_connected (TcpEndpoint *ep, void *user)
{
  DrillSocket *s = user;

  if (ep != s->ep)
    return;
  s->established = TRUE;
  drill_syscall_poll (s->d);
}

static void
on_accepted (TcpEndpoint *listener, TcpEndpoint *child, void *user)
{
  DrillSocket *l = user;
  DrillSocket *c;

  if (listener != l->ep)
    return;
  /* accept() does not pass O_NONBLOCK on to the new socket (Linux). */
  c = socket_new (l->d, &l->params, l->keepidle_ns);
  c->keepalive = l->keepalive;
  c->ep = child;
  c->established = TRUE;
  c->connect_reported = TRUE;
  tcp_endpoint_set_callbacks (child, &callbacks, c);
  g_queue_push_tail (&l->accept_queue, c);
  drill_syscall_poll (l->d);
}

static void
on_readable (TcpEndpoint *ep, void *user)
{
  DrillSocket *s = user;

  if (ep != s->ep)
    return;
  /* Nobody will read an orphan's data; keep its window open. */
  if (s->orphan)
    tcp_read (ep, NULL, tcp_readable_bytes (ep));
  drill_syscall_poll (s->d);
}

static void
on_writable (TcpEndpoint *ep, void *user)
{
  DrillSocket *s = user;

  if (ep != s->ep)
    return;
  drill_syscall_poll (s->d);
}

static void
on_peer_closed (TcpEndpoint *ep, void *user)
{
  DrillSocket *s = user;

  if (ep != s->ep)
    return;
  s->peer_fin = TRUE;
  drill_syscall_poll (s->d);
}

static void
on_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  DrillSocket *s = user;

  /* What reset a connection (or gave up on it) happened on the flow the
   * script is talking on, half-open connections included. */
  if (reason != TCP_CLOSE_NORMAL && reason != TCP_CLOSE_ABORTED
      && s->d->current != NULL)
    s->d->current->over = TRUE;
  /* A listener's half-open children report to the listener's socket
   * until they are accepted; they are not its endpoint. */
  if (ep != s->ep)
    return;
  s->ep = NULL;
  s->ended = TRUE;
  /* Linux tcp_reset(): ECONNREFUSED in SYN-SENT, EPIPE in CLOSE-WAIT,
   * ECONNRESET otherwise; a timeout is ETIMEDOUT. */
  switch (reason)
    {
    case TCP_CLOSE_REFUSED:
      s->so_error = DRILL_ECONNREFUSED;
      break;
    case TCP_CLOSE_RESET:
      s->so_error = s->peer_fin && !s->shut_wr ? DRILL_EPIPE
                                               : DRILL_ECONNRESET;
      break;
    case TCP_CLOSE_TIMEOUT:
      s->so_error = DRILL_ETIMEDOUT;
      break;
    case TCP_CLOSE_NORMAL:
    case TCP_CLOSE_ABORTED:
      break;
    default:
      g_assert_not_reached ();
    }
  drill_syscall_poll (s->d);
}

/* ---- helpers for handlers ---- */

static gint64
arg_int (const DrillCall *c, guint i)
{
  const DrillExpr *e = g_ptr_array_index (c->ev->call.args, i);

  return e->kind == DRILL_EXPR_INT ? e->value : 0;
}

static const DrillExpr *
arg (const DrillCall *c, guint i)
{
  return g_ptr_array_index (c->ev->call.args, i);
}

static Result
ok (gint64 *ret, int *err, gint64 value)
{
  *ret = value;
  *err = 0;
  return RESULT_DONE;
}

static Result
fail_errno (gint64 *ret, int *err, int e)
{
  *ret = -1;
  *err = e;
  return RESULT_DONE;
}

/* Descriptor lookup for the calls whose first argument is a socket. */
static DrillSocket *
call_socket (Drill *d, DrillCall *c)
{
  if (c->sock == NULL)
    c->sock = fd_lookup (d, arg_int (c, 0));
  return c->sock;
}

/* Returns the pending error once, as sock_error() does. */
static int
take_error (DrillSocket *s)
{
  int e = s->so_error;

  s->so_error = 0;
  return e;
}

static gboolean
connecting (const DrillSocket *s)
{
  return s->ep != NULL && !s->established && !s->listener;
}

/* ---- handlers ---- */

static Result
do_socket (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  const DrillExpr *domain = arg (c, 0);
  const DrillExpr *proto = arg (c, 2);
  gint64 type = arg_int (c, 1);
  DrillSocket *s;

  if ((domain->kind == DRILL_EXPR_INT && domain->value != DRILL_AF_INET)
      || (type & ~(gint64) DRILL_SOCK_NONBLOCK) != DRILL_SOCK_STREAM
      || (proto->kind == DRILL_EXPR_INT && proto->value != DRILL_IPPROTO_TCP
          && proto->value != 0))
    {
      drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "socket(): tcpsim "
                  "models AF_INET, SOCK_STREAM, IPPROTO_TCP sockets only");
      return RESULT_ERROR;
    }
  s = socket_new (d, &d->defaults, d->keepidle_ns);
  s->nonblocking = (type & DRILL_SOCK_NONBLOCK) != 0;
  return ok (ret, err, fd_alloc (d, s));
}

static Result
do_bind (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (s->bound || s->listener || s->connect_called)
    return fail_errno (ret, err, DRILL_EINVAL);
  s->bound = TRUE;
  s->port = DRILL_LOCAL_PORT;
  return ok (ret, err, 0);
}

static Result
do_listen (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);
  g_autoptr (GError) e = NULL;

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (s->listener)
    return ok (ret, err, 0);    /* Linux: only the backlog changes */
  if (s->connect_called)
    return fail_errno (ret, err, DRILL_EINVAL);
  if (!s->bound)
    {
      s->bound = TRUE;
      s->port = DRILL_LOCAL_PORT;
    }
  /* The listen() backlog bounds Linux's accept queue; TcpParams.backlog
   * bounds half-open connections, which is another thing, so it keeps
   * the profile's value. */
  s->ep = tcp_listen (d->stack, s->port, &s->params, &callbacks, s, &e);
  if (s->ep == NULL)
    return fail_errno (ret, err, DRILL_EADDRINUSE);
  s->listener = TRUE;
  d->listen_port = s->port;
  return ok (ret, err, 0);
}

static Result
do_accept (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);
  DrillSocket *child;

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (!s->listener)
    return fail_errno (ret, err, DRILL_EINVAL);
  child = g_queue_pop_head (&s->accept_queue);
  if (child != NULL)
    return ok (ret, err, fd_alloc (d, child));
  if (s->ep == NULL)
    return fail_errno (ret, err, DRILL_EINVAL);
  if (s->nonblocking)
    return fail_errno (ret, err, DRILL_EAGAIN);
  return RESULT_BLOCKED;
}

static Result
do_connect (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);
  g_autoptr (GError) e = NULL;
  DrillFlow *flow;

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (s->listener)
    return fail_errno (ret, err, DRILL_EISCONN);
  if (!s->connect_called)
    {
      Ipv4Addr raddr = node_addr (d->remote);

      s->connect_called = TRUE;
      c->started = TRUE;
      s->ep = tcp_connect (d->stack, raddr, DRILL_REMOTE_PORT,
                           s->bound ? s->port : 0, &s->params, &callbacks, s,
                           &e);
      if (s->ep == NULL)
        return fail_errno (ret, err, DRILL_EADDRINUSE);
      /* The SYN left inside tcp_connect(), and its capture made the flow;
       * '<' packets go to it from now on. */
      flow = drill_flow_lookup (d, tcp_endpoint_local_port (s->ep),
                                DRILL_REMOTE_PORT, TRUE);
      d->current = flow;
      if (s->nonblocking)
        return fail_errno (ret, err, DRILL_EINPROGRESS);
      return RESULT_BLOCKED;
    }
  /* Linux __inet_stream_connect(): once established, the first connect()
   * after a non-blocking one returns 0, later ones EISCONN; a failed
   * connection reports its error; one still opening gives EALREADY, or
   * blocks again. */
  if (s->established)
    {
      if (s->connect_reported && !c->started)
        return fail_errno (ret, err, DRILL_EISCONN);
      s->connect_reported = TRUE;
      return ok (ret, err, 0);
    }
  if (s->so_error != 0)
    return fail_errno (ret, err, take_error (s));
  if (s->ep == NULL)
    return fail_errno (ret, err, DRILL_ECONNABORTED);
  if (s->nonblocking && !c->started)
    return fail_errno (ret, err, DRILL_EALREADY);
  c->started = TRUE;
  return RESULT_BLOCKED;
}

static Result
do_write (Drill *d, DrillCall *c, gint64 *ret, int *err, gboolean dontwait)
{
  DrillSocket *s = call_socket (d, c);
  gint64 count = arg_int (c, 2);
  gboolean nonblocking;

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (count < 0)
    return fail_errno (ret, err, DRILL_EFAULT);
  nonblocking = s->nonblocking || dontwait;
  if (s->so_error != 0)
    {
      /* What was queued before the error still counts. */
      if (c->done_bytes > 0)
        return ok (ret, err, (gint64) c->done_bytes);
      return fail_errno (ret, err, take_error (s));
    }
  if (s->listener || s->shut_wr || s->ep == NULL)
    return fail_errno (ret, err, DRILL_EPIPE);
  if (connecting (s))
    {
      /* Linux sk_stream_wait_connect(). */
      if (nonblocking)
        return fail_errno (ret, err, DRILL_EAGAIN);
      return RESULT_BLOCKED;
    }
  while (c->done_bytes < (gsize) count)
    {
      gsize want = MIN ((gsize) count - c->done_bytes, sizeof zeros);
      gsize n = tcp_write (s->ep, zeros, want);

      c->done_bytes += n;
      /* tcp_write() may have run callbacks that closed the endpoint. */
      if (n < want || s->ep == NULL)
        break;
    }
  if (c->done_bytes == (gsize) count)
    return ok (ret, err, count);
  if (nonblocking)
    {
      if (c->done_bytes > 0)
        return ok (ret, err, (gint64) c->done_bytes);
      return fail_errno (ret, err, DRILL_EAGAIN);
    }
  return RESULT_BLOCKED;
}

static Result
do_read (Drill *d, DrillCall *c, gint64 *ret, int *err, gboolean dontwait)
{
  DrillSocket *s = call_socket (d, c);
  gint64 count = arg_int (c, 2);
  gsize avail;

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (count < 0)
    return fail_errno (ret, err, DRILL_EFAULT);
  if (s->listener || (!s->connect_called && !s->established))
    return fail_errno (ret, err, DRILL_ENOTCONN);
  avail = s->ep != NULL ? tcp_readable_bytes (s->ep) : 0;
  if (avail > 0 && count > 0)
    return ok (ret, err, (gint64) tcp_read (s->ep, NULL, (gsize) count));
  if (count == 0)
    return ok (ret, err, 0);
  if (s->so_error != 0)
    return fail_errno (ret, err, take_error (s));
  if (s->peer_fin || s->shut_rd || s->ended)
    return ok (ret, err, 0);
  if (s->nonblocking || dontwait)
    return fail_errno (ret, err, DRILL_EAGAIN);
  return RESULT_BLOCKED;
}

static Result
do_shutdown (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);
  gint64 how = arg_int (c, 1);

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (how != DRILL_SHUT_RD && how != DRILL_SHUT_WR && how != DRILL_SHUT_RDWR)
    return fail_errno (ret, err, DRILL_EINVAL);
  if (s->listener)
    {
      /* Linux inet_shutdown(): a listener stops on SHUT_RD. */
      if (how != DRILL_SHUT_WR && s->ep != NULL)
        tcp_close (s->ep);
      return ok (ret, err, 0);
    }
  if (!s->connect_called && !s->established)
    return fail_errno (ret, err, DRILL_ENOTCONN);
  if (how != DRILL_SHUT_WR)
    s->shut_rd = TRUE;
  if (how != DRILL_SHUT_RD && !s->shut_wr)
    {
      s->shut_wr = TRUE;
      /* RFC 9293 3.10.4 CLOSE: the FIN follows the queued data, and the
       * application may still receive. */
      if (s->ep != NULL)
        tcp_close (s->ep);
    }
  return ok (ret, err, 0);
}

static Result
do_close (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  d->fds->pdata[s->fd] = NULL;
  s->fd = -1;
  s->orphan = TRUE;
  if (s->listener)
    {
      DrillSocket *child;

      /* Linux inet_csk_listen_stop(): connections nobody accepted are
       * reset. */
      while ((child = g_queue_pop_head (&s->accept_queue)) != NULL)
        {
          child->orphan = TRUE;
          if (child->ep != NULL)
            tcp_abort (child->ep);
        }
      /* tcp_release() also drops the half-open connections, whose final
       * ACK then draws a RST. */
      if (s->ep != NULL)
        tcp_release (s->ep);
      return ok (ret, err, 0);
    }
  if (s->ep == NULL)
    return ok (ret, err, 0);
  if (s->linger_zero)
    tcp_abort (s->ep);
  else
    {
      /* close() lets go of the connection: unread data, or data arriving
       * later, draws a RST (RFC 1122 4.2.2.13), which tcp_release()
       * does. */
      s->shut_wr = TRUE;
      tcp_release (s->ep);
    }
  return ok (ret, err, 0);
}

/* The integer a setsockopt() value stands for: [N] or N. */
static gboolean
value_int (const DrillExpr *e, gint64 *out)
{
  if (e->kind == DRILL_EXPR_INT)
    {
      *out = e->value;
      return TRUE;
    }
  if (e->kind == DRILL_EXPR_LIST && e->items->len == 1)
    {
      const DrillExpr *i = g_ptr_array_index (e->items, 0);

      if (i->kind == DRILL_EXPR_INT)
        {
          *out = i->value;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
struct_member (const DrillExpr *e, const char *name, gint64 *out)
{
  if (e->kind != DRILL_EXPR_STRUCT)
    return FALSE;
  for (guint i = 0; i < e->items->len; i++)
    {
      const DrillExpr *m = g_ptr_array_index (e->items, i);

      if (strcmp (m->field, name) == 0 && m->kind == DRILL_EXPR_INT)
        {
          *out = m->value;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
option_name (gint64 level, gint64 name)
{
  static const struct {
    gint64 level;
    gint64 name;
    const char *text;
  } names[] = {
    { DRILL_SOL_SOCKET, DRILL_SO_REUSEADDR, "SO_REUSEADDR" },
    { DRILL_SOL_SOCKET, DRILL_SO_REUSEPORT, "SO_REUSEPORT" },
    { DRILL_SOL_SOCKET, DRILL_SO_ERROR, "SO_ERROR" },
    { DRILL_SOL_SOCKET, DRILL_SO_SNDBUF, "SO_SNDBUF" },
    { DRILL_SOL_SOCKET, DRILL_SO_RCVBUF, "SO_RCVBUF" },
    { DRILL_SOL_SOCKET, DRILL_SO_KEEPALIVE, "SO_KEEPALIVE" },
    { DRILL_SOL_SOCKET, DRILL_SO_LINGER, "SO_LINGER" },
    { DRILL_IPPROTO_TCP, DRILL_TCP_NODELAY, "TCP_NODELAY" },
    { DRILL_IPPROTO_TCP, DRILL_TCP_MAXSEG, "TCP_MAXSEG" },
    { DRILL_IPPROTO_TCP, DRILL_TCP_KEEPIDLE, "TCP_KEEPIDLE" },
    { DRILL_IPPROTO_TCP, DRILL_TCP_KEEPINTVL, "TCP_KEEPINTVL" },
    { DRILL_IPPROTO_TCP, DRILL_TCP_KEEPCNT, "TCP_KEEPCNT" },
    { DRILL_IPPROTO_TCP, DRILL_TCP_CONGESTION, "TCP_CONGESTION" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].level == level && names[i].name == name)
      return names[i].text;
  return NULL;
}

static Result
unsupported_option (Drill *d, DrillCall *c, gint64 level, gint64 name)
{
  const char *text = option_name (level, name);

  if (text != NULL)
    drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "%s(%s): not modelled",
                c->ev->call.name, text);
  else
    drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "%s(): option %"
                G_GINT64_FORMAT " of level %" G_GINT64_FORMAT " is not "
                "modelled", c->ev->call.name, name, level);
  return RESULT_ERROR;
}

static Result
bad_value (Drill *d, DrillCall *c, const char *name, const char *what)
{
  drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "setsockopt(%s): the value "
              "must be %s", name, what);
  return RESULT_ERROR;
}

static Result
do_setsockopt (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);
  gint64 level = arg_int (c, 1);
  gint64 name = arg_int (c, 2);
  const DrillExpr *value = arg (c, 3);
  const char *text = option_name (level, name);
  TcpParams p;
  gint64 v = 0;

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (text == NULL || (level == DRILL_SOL_SOCKET && name == DRILL_SO_ERROR))
    return unsupported_option (d, c, level, name);
  p = s->params;
  if (name == DRILL_SO_LINGER && level == DRILL_SOL_SOCKET)
    {
      gint64 onoff;
      gint64 linger;

      if (!struct_member (value, "l_onoff", &onoff)
          || !struct_member (value, "l_linger", &linger))
        return bad_value (d, c, text, "{l_onoff=N, l_linger=N}");
      /* A positive linger time makes close() wait for the FIN's ACK;
       * nothing the peer sees depends on it. */
      s->linger_zero = onoff != 0 && linger == 0;
      return ok (ret, err, 0);
    }
  if (name == DRILL_TCP_CONGESTION && level == DRILL_IPPROTO_TCP)
    {
      guint i;

      if (value->kind != DRILL_EXPR_STRING)
        return bad_value (d, c, text, "a string such as \"cubic\"");
      for (i = 0; tcp_cc_names[i] != NULL; i++)
        if (strcmp (tcp_cc_names[i], value->text) == 0)
          break;
      if (tcp_cc_names[i] == NULL)
        return fail_errno (ret, err, DRILL_ENOENT);
      p.cc = i;
    }
  else
    {
      if (!value_int (value, &v))
        return bad_value (d, c, text, "a number, [N] or N");
      if (level == DRILL_SOL_SOCKET)
        switch (name)
          {
          case DRILL_SO_REUSEADDR:
          case DRILL_SO_REUSEPORT:
            s->reuseaddr = v != 0;
            return ok (ret, err, 0);
          case DRILL_SO_SNDBUF:
          case DRILL_SO_RCVBUF:
            {
              const TcpParamInfo *info =
                tcp_param_lookup (name == DRILL_SO_SNDBUF ? "sndbuf"
                                                          : "rcvbuf");

              /* Linux clamps rather than fails; it also doubles the
               * value, which tcpsim does not (see docs/packetdrill.md). */
              v = CLAMP (v, (gint64) info->min, (gint64) info->max);
              if (name == DRILL_SO_SNDBUF)
                p.snd_buf_bytes = (guint64) v;
              else
                p.rcv_buf_bytes = (guint64) v;
            }
            break;
          case DRILL_SO_KEEPALIVE:
            s->keepalive = v != 0;
            p.keepalive_idle_ns = s->keepalive ? s->keepidle_ns : 0;
            break;
          default:
            return unsupported_option (d, c, level, name);
          }
      else
        switch (name)
          {
          case DRILL_TCP_NODELAY:
            p.nagle = v == 0;
            break;
          case DRILL_TCP_MAXSEG:
            /* Linux: below TCP_MIN_MSS (88) or above the largest window
             * is EINVAL. */
            if (v < 88 || v > 65495)
              return fail_errno (ret, err, DRILL_EINVAL);
            p.mss_bytes = (guint64) v;
            break;
          case DRILL_TCP_KEEPIDLE:
            if (v < 1 || v > 32767)
              return fail_errno (ret, err, DRILL_EINVAL);
            s->keepidle_ns = SIM_S (v);
            if (s->keepalive)
              p.keepalive_idle_ns = s->keepidle_ns;
            break;
          case DRILL_TCP_KEEPINTVL:
            if (v < 1 || v > 32767)
              return fail_errno (ret, err, DRILL_EINVAL);
            p.keepalive_intvl_ns = SIM_S (v);
            break;
          case DRILL_TCP_KEEPCNT:
            if (v < 1 || v > 127)
              return fail_errno (ret, err, DRILL_EINVAL);
            p.keepalive_probes = (guint64) v;
            break;
          default:
            return unsupported_option (d, c, level, name);
          }
    }
  if (memcmp (&p, &s->params, sizeof p) != 0 && s->ep != NULL)
    {
      /* TcpParams are copied into an endpoint when it is created, and the
       * model has no call to change them afterwards. */
      drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "setsockopt(%s) on a "
                  "socket that is already %s is not supported by the TCP "
                  "model yet; set it before %s", text,
                  s->listener ? "listening" : "connected",
                  s->listener ? "listen()" : "connect() or on the listener");
      return RESULT_ERROR;
    }
  s->params = p;
  return ok (ret, err, 0);
}

static Result
do_getsockopt (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);
  gint64 level = arg_int (c, 1);
  gint64 name = arg_int (c, 2);
  const DrillExpr *want = arg (c, 3);
  const char *text = option_name (level, name);
  gint64 v;
  gint64 w;

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (text == NULL)
    return unsupported_option (d, c, level, name);
  switch (level == DRILL_SOL_SOCKET ? name : 1000 + name)
    {
    case DRILL_SO_ERROR:
      v = take_error (s);
      break;
    case DRILL_SO_REUSEADDR:
    case DRILL_SO_REUSEPORT:
      v = s->reuseaddr;
      break;
    case DRILL_SO_SNDBUF:
      v = (gint64) s->params.snd_buf_bytes;
      break;
    case DRILL_SO_RCVBUF:
      v = (gint64) s->params.rcv_buf_bytes;
      break;
    case DRILL_SO_KEEPALIVE:
      v = s->keepalive;
      break;
    case DRILL_SO_LINGER:
      {
        gint64 onoff;
        gint64 linger;

        if (want->kind == DRILL_EXPR_ELLIPSIS)
          return ok (ret, err, 0);
        if (!struct_member (want, "l_onoff", &onoff)
            || !struct_member (want, "l_linger", &linger))
          {
            drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "getsockopt"
                        "(SO_LINGER): expected {l_onoff=N, l_linger=N} or "
                        "...");
            return RESULT_ERROR;
          }
        if ((onoff != 0) != s->linger_zero || (onoff != 0 && linger != 0))
          {
            drill_fail (d, c->ev, DRILL_ERROR_FAILED, "getsockopt"
                        "(SO_LINGER): expected {l_onoff=%" G_GINT64_FORMAT
                        ", l_linger=%" G_GINT64_FORMAT "}, actual "
                        "{l_onoff=%d, l_linger=0}", onoff, linger,
                        s->linger_zero ? 1 : 0);
            return RESULT_ERROR;
          }
        return ok (ret, err, 0);
      }
    case 1000 + DRILL_TCP_NODELAY:
      v = !s->params.nagle;
      break;
    case 1000 + DRILL_TCP_MAXSEG:
      if (s->established)
        {
          drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "getsockopt"
                      "(TCP_MAXSEG) on a connected socket needs the "
                      "effective MSS, which the TCP model does not expose "
                      "yet");
          return RESULT_ERROR;
        }
      v = (gint64) s->params.mss_bytes;
      break;
    case 1000 + DRILL_TCP_KEEPIDLE:
      v = s->keepidle_ns / SIM_S (1);
      break;
    case 1000 + DRILL_TCP_KEEPINTVL:
      v = s->params.keepalive_intvl_ns / SIM_S (1);
      break;
    case 1000 + DRILL_TCP_KEEPCNT:
      v = (gint64) s->params.keepalive_probes;
      break;
    default:
      return unsupported_option (d, c, level, name);
    }
  if (want->kind == DRILL_EXPR_ELLIPSIS)
    return ok (ret, err, 0);
  if (!value_int (want, &w))
    {
      drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "getsockopt(%s): the "
                  "expected value must be [N], N or ...", text);
      return RESULT_ERROR;
    }
  if (v != w)
    {
      const char *en = level == DRILL_SOL_SOCKET && name == DRILL_SO_ERROR
                       ? drill_errno_name ((int) v) : NULL;

      drill_fail (d, c->ev, DRILL_ERROR_FAILED, "getsockopt(%s): expected "
                  "value [%" G_GINT64_FORMAT "], actual [%" G_GINT64_FORMAT
                  "]%s%s", text, w, v, en != NULL ? " " : "",
                  en != NULL ? en : "");
      return RESULT_ERROR;
    }
  return ok (ret, err, 0);
}

static Result
do_fcntl (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  DrillSocket *s = call_socket (d, c);
  gint64 cmd = arg_int (c, 1);

  if (s == NULL)
    return fail_errno (ret, err, DRILL_EBADF);
  if (cmd == DRILL_F_GETFL)
    return ok (ret, err, DRILL_O_RDWR | (s->nonblocking ? DRILL_O_NONBLOCK
                                                        : 0));
  if (cmd == DRILL_F_SETFL && c->ev->call.args->len == 3)
    {
      s->nonblocking = (arg_int (c, 2) & DRILL_O_NONBLOCK) != 0;
      return ok (ret, err, 0);
    }
  drill_fail (d, c->ev, DRILL_ERROR_UNSUPPORTED, "fcntl(): only F_GETFL and "
              "F_SETFL with flags are modelled");
  return RESULT_ERROR;
}

static Result
run_handler (Drill *d, DrillCall *c, gint64 *ret, int *err)
{
  switch (c->ev->call.id)
    {
    case DRILL_CALL_SOCKET:
      return do_socket (d, c, ret, err);
    case DRILL_CALL_BIND:
      return do_bind (d, c, ret, err);
    case DRILL_CALL_LISTEN:
      return do_listen (d, c, ret, err);
    case DRILL_CALL_ACCEPT:
      return do_accept (d, c, ret, err);
    case DRILL_CALL_CONNECT:
      return do_connect (d, c, ret, err);
    case DRILL_CALL_WRITE:
      return do_write (d, c, ret, err, FALSE);
    case DRILL_CALL_SEND:
      return do_write (d, c, ret, err, (arg_int (c, 3) & 0x40) != 0);
    case DRILL_CALL_READ:
      return do_read (d, c, ret, err, FALSE);
    case DRILL_CALL_RECV:
      return do_read (d, c, ret, err, (arg_int (c, 3) & 0x40) != 0);
    case DRILL_CALL_SHUTDOWN:
      return do_shutdown (d, c, ret, err);
    case DRILL_CALL_CLOSE:
      return do_close (d, c, ret, err);
    case DRILL_CALL_SETSOCKOPT:
      return do_setsockopt (d, c, ret, err);
    case DRILL_CALL_GETSOCKOPT:
      return do_getsockopt (d, c, ret, err);
    case DRILL_CALL_FCNTL:
      return do_fcntl (d, c, ret, err);
    case DRILL_N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

/* ---- results ---- */

static char *
describe_result (gint64 ret, gboolean has_errno, int err)
{
  if (ret == -1 && has_errno)
    {
      const char *name = drill_errno_name (err);

      if (name != NULL)
        return g_strdup_printf ("-1 %s (%s)", name, drill_errno_text (err));
      return g_strdup_printf ("-1 errno %d", err);
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT, ret);
}

/* Compares what the call returned, and when, with the script. */
static void
finish (Drill *d, DrillCall *c, gint64 ret, int err)
{
  const DrillSyscall *call = &c->ev->call;
  SimTime now = sim_scheduler_now (d->sched);
  gboolean errno_differs = call->has_errno && ret == -1 && err != call->err;

  if (ret != call->ret->value || errno_differs)
    {
      g_autofree char *want = describe_result (call->ret->value,
                                               call->has_errno, call->err);
      g_autofree char *got = describe_result (ret, ret == -1, err);

      drill_fail (d, c->ev, DRILL_ERROR_FAILED, "%s(): expected %s, actual "
                  "%s", call->name, want, got);
      return;
    }
  if (now > c->end_ns + d->tolerance_ns || now < c->end_ns - d->tolerance_ns)
    {
      char want[SIM_TIME_FORMAT_BYTES];
      char got[SIM_TIME_FORMAT_BYTES];

      drill_format_time (c->end_ns, want);
      drill_format_time (now, got);
      drill_fail (d, c->ev, DRILL_ERROR_FAILED, "%s(): expected to return "
                  "at %s s, actual %s s", call->name, want, got);
      return;
    }
  {
    g_autofree char *got = describe_result (ret, ret == -1, err);
    char when[SIM_TIME_FORMAT_BYTES];

    drill_format_time (now, when);
    drill_log (d, "%s:%u: %s %s() = %s", d->script->file, c->ev->loc.line,
               when, call->name, got);
  }
}

void
drill_syscall_start (Drill *d, const DrillEvent *ev, SimTime end_ns)
{
  DrillCall *c;
  gint64 ret = 0;
  int err = 0;
  Result r;

  if (d->pending != NULL)
    {
      drill_fail (d, ev, DRILL_ERROR_FAILED, "%s() starts while %s() from "
                  "line %u is still blocked", ev->call.name,
                  d->pending->ev->call.name, d->pending->ev->loc.line);
      return;
    }
  c = g_new0 (DrillCall, 1);
  c->ev = ev;
  c->start_ns = sim_scheduler_now (d->sched);
  c->end_ns = end_ns;
  r = run_handler (d, c, &ret, &err);
  if (r == RESULT_BLOCKED)
    {
      d->pending = c;
      return;
    }
  if (r == RESULT_DONE)
    finish (d, c, ret, err);
  g_free (c);
}

void
drill_syscall_poll (Drill *d)
{
  DrillCall *c = d->pending;
  gint64 ret = 0;
  int err = 0;
  Result r;

  /* A handler's own calls into the model run callbacks that land here. */
  if (c == NULL || d->polling || d->error != NULL)
    return;
  d->polling = TRUE;
  r = run_handler (d, c, &ret, &err);
  d->polling = FALSE;
  if (r == RESULT_BLOCKED)
    return;
  d->pending = NULL;
  if (r == RESULT_DONE)
    finish (d, c, ret, err);
  g_free (c);
}
