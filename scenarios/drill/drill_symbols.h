/* drill_symbols.h: the names a script may use, with Linux's values: socket
 * constants (SOCK_STREAM, SO_RCVBUF, O_NONBLOCK, ...), errno names, the
 * system calls tcpsim plays, and the sysctls that map onto TcpParams.
 *
 * The values are Linux's on every host, so a script means the same thing
 * wherever tcpsim runs; nothing here includes the host's <errno.h>.
 */
#pragma once

#include "scenarios/drill/drill_ast.h"

G_BEGIN_DECLS

/* Linux errno values. */
enum {
  DRILL_EPERM = 1,
  DRILL_ENOENT = 2,
  DRILL_EINTR = 4,
  DRILL_EBADF = 9,
  DRILL_EAGAIN = 11,
  DRILL_EFAULT = 14,
  DRILL_EINVAL = 22,
  DRILL_EPIPE = 32,
  DRILL_ENOTSOCK = 88,
  DRILL_ENOPROTOOPT = 92,
  DRILL_EOPNOTSUPP = 95,
  DRILL_EADDRINUSE = 98,
  DRILL_ECONNABORTED = 103,
  DRILL_ECONNRESET = 104,
  DRILL_EISCONN = 106,
  DRILL_ENOTCONN = 107,
  DRILL_ETIMEDOUT = 110,
  DRILL_ECONNREFUSED = 111,
  DRILL_EALREADY = 114,
  DRILL_EINPROGRESS = 115,
};

/* Linux socket constants that the system calls test. */
enum {
  DRILL_AF_INET = 2,
  DRILL_SOCK_STREAM = 1,
  DRILL_SOCK_NONBLOCK = 04000,
  DRILL_IPPROTO_TCP = 6,
  DRILL_SOL_SOCKET = 1,
  DRILL_SO_REUSEADDR = 2,
  DRILL_SO_ERROR = 4,
  DRILL_SO_SNDBUF = 7,
  DRILL_SO_RCVBUF = 8,
  DRILL_SO_KEEPALIVE = 9,
  DRILL_SO_LINGER = 13,
  DRILL_SO_REUSEPORT = 15,
  DRILL_TCP_NODELAY = 1,
  DRILL_TCP_MAXSEG = 2,
  DRILL_TCP_KEEPIDLE = 4,
  DRILL_TCP_KEEPINTVL = 5,
  DRILL_TCP_KEEPCNT = 6,
  DRILL_TCP_CONGESTION = 13,
  DRILL_F_GETFL = 3,
  DRILL_F_SETFL = 4,
  DRILL_O_RDWR = 2,
  DRILL_O_NONBLOCK = 04000,
  DRILL_SHUT_RD = 0,
  DRILL_SHUT_WR = 1,
  DRILL_SHUT_RDWR = 2,
};

/* Looks up a constant or errno name ("SOCK_STREAM", "EAGAIN"). */
gboolean drill_symbol_lookup (const char *name, gint64 *value);
/* Returns: (transfer none): every name drill_symbol_lookup() knows,
 * NULL-terminated, for "did you mean" hints. */
const char *const *drill_symbol_names (void);

/* Returns: (transfer none) (nullable): "ECONNREFUSED" for 111. */
const char *drill_errno_name (int err);
/* Returns: (transfer none): Linux's strerror() text for @err. */
const char *drill_errno_text (int err);
/* Looks up an errno by name. */
gboolean drill_errno_lookup (const char *name, int *err);

typedef struct {
  const char *name;
  DrillCallId id;
  guint min_args;
  guint max_args;
} DrillCallInfo;

/* Returns: (transfer none) (nullable): the system call named @name. */
const DrillCallInfo *drill_call_lookup (const char *name);
/* Returns: (transfer none): the names of the system calls, NULL-
 * terminated. */
const char *const *drill_call_names (void);

/* Interprets one shell command as packetdrill scripts use them ("sysctl
 * -q net.ipv4.tcp_sack=0", "echo 0 > /proc/sys/net/ipv4/tcp_sack",
 * several joined by ';' or '&&').  Sysctls with a TcpParams counterpart
 * become settings; everything else becomes a note saying it is ignored.
 * A sysctl tcpsim maps but whose value it cannot read is an error, at
 * @loc. */
gboolean drill_shell_interpret (const DrillLoc *loc, DrillShell *shell,
                                GError **error);

G_END_DECLS
