/* drill_symbols.c: name tables (constants, errnos, system calls) and the
 * interpretation of shell commands as sysctl settings.
 *
 * drill_shell_interpret() -> split_commands() -> one_command() ->
 * apply_sysctl() -> parse_sysctl_value(), which checks the value against
 * the TcpParams table entry it maps to.
 */
#include "scenarios/drill/drill_symbols.h"

#include <string.h>

#include "scenarios/scn_diag.h"

/* ---- constants ---- */

typedef struct {
  const char *name;
  gint64 value;
} Symbol;

static const Symbol symbols[] = {
  { "AF_INET", DRILL_AF_INET },
  { "PF_INET", DRILL_AF_INET },
  { "AF_INET6", 10 },
  { "PF_INET6", 10 },
  { "SOCK_STREAM", DRILL_SOCK_STREAM },
  { "SOCK_DGRAM", 2 },
  { "SOCK_NONBLOCK", DRILL_SOCK_NONBLOCK },
  { "IPPROTO_IP", 0 },
  { "IPPROTO_TCP", DRILL_IPPROTO_TCP },
  { "IPPROTO_UDP", 17 },
  { "SOL_SOCKET", DRILL_SOL_SOCKET },
  { "SOL_TCP", DRILL_IPPROTO_TCP },
  { "SO_REUSEADDR", DRILL_SO_REUSEADDR },
  { "SO_ERROR", DRILL_SO_ERROR },
  { "SO_SNDBUF", DRILL_SO_SNDBUF },
  { "SO_RCVBUF", DRILL_SO_RCVBUF },
  { "SO_KEEPALIVE", DRILL_SO_KEEPALIVE },
  { "SO_LINGER", DRILL_SO_LINGER },
  { "SO_REUSEPORT", DRILL_SO_REUSEPORT },
  { "TCP_NODELAY", DRILL_TCP_NODELAY },
  { "TCP_MAXSEG", DRILL_TCP_MAXSEG },
  { "TCP_KEEPIDLE", DRILL_TCP_KEEPIDLE },
  { "TCP_KEEPINTVL", DRILL_TCP_KEEPINTVL },
  { "TCP_KEEPCNT", DRILL_TCP_KEEPCNT },
  { "TCP_CONGESTION", DRILL_TCP_CONGESTION },
  { "F_GETFL", DRILL_F_GETFL },
  { "F_SETFL", DRILL_F_SETFL },
  { "O_RDONLY", 0 },
  { "O_WRONLY", 1 },
  { "O_RDWR", DRILL_O_RDWR },
  { "O_NONBLOCK", DRILL_O_NONBLOCK },
  { "SHUT_RD", DRILL_SHUT_RD },
  { "SHUT_WR", DRILL_SHUT_WR },
  { "SHUT_RDWR", DRILL_SHUT_RDWR },
  { "MSG_DONTWAIT", 0x40 },
};

typedef struct {
  const char *name;
  int value;
  const char *text;
} Errno;

/* strerror() as glibc words it on Linux. */
static const Errno errnos[] = {
  { "EPERM", DRILL_EPERM, "Operation not permitted" },
  { "ENOENT", DRILL_ENOENT, "No such file or directory" },
  { "EINTR", DRILL_EINTR, "Interrupted system call" },
  { "EBADF", DRILL_EBADF, "Bad file descriptor" },
  { "EAGAIN", DRILL_EAGAIN, "Resource temporarily unavailable" },
  { "EWOULDBLOCK", DRILL_EAGAIN, "Resource temporarily unavailable" },
  { "EFAULT", DRILL_EFAULT, "Bad address" },
  { "EINVAL", DRILL_EINVAL, "Invalid argument" },
  { "EPIPE", DRILL_EPIPE, "Broken pipe" },
  { "ENOTSOCK", DRILL_ENOTSOCK, "Socket operation on non-socket" },
  { "ENOPROTOOPT", DRILL_ENOPROTOOPT, "Protocol not available" },
  { "EOPNOTSUPP", DRILL_EOPNOTSUPP, "Operation not supported" },
  { "EADDRINUSE", DRILL_EADDRINUSE, "Address already in use" },
  { "ECONNABORTED", DRILL_ECONNABORTED, "Software caused connection abort" },
  { "ECONNRESET", DRILL_ECONNRESET, "Connection reset by peer" },
  { "EISCONN", DRILL_EISCONN, "Transport endpoint is already connected" },
  { "ENOTCONN", DRILL_ENOTCONN, "Transport endpoint is not connected" },
  { "ETIMEDOUT", DRILL_ETIMEDOUT, "Connection timed out" },
  { "ECONNREFUSED", DRILL_ECONNREFUSED, "Connection refused" },
  { "EALREADY", DRILL_EALREADY, "Operation already in progress" },
  { "EINPROGRESS", DRILL_EINPROGRESS, "Operation now in progress" },
};

gboolean
drill_symbol_lookup (const char *name, gint64 *value)
{
  int err;

  for (gsize i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (strcmp (symbols[i].name, name) == 0)
      {
        *value = symbols[i].value;
        return TRUE;
      }
  if (drill_errno_lookup (name, &err))
    {
      *value = err;
      return TRUE;
    }
  return FALSE;
}

const char *const *
drill_symbol_names (void)
{
  static const char *names[G_N_ELEMENTS (symbols) + G_N_ELEMENTS (errnos)
                           + 1];
  static gsize done = 0;

  /* Filled once, whichever thread asks first (sweeps run in threads). */
  if (g_once_init_enter (&done))
    {
      gsize n = 0;

      for (gsize i = 0; i < G_N_ELEMENTS (symbols); i++)
        names[n++] = symbols[i].name;
      for (gsize i = 0; i < G_N_ELEMENTS (errnos); i++)
        names[n++] = errnos[i].name;
      names[n] = NULL;
      g_once_init_leave (&done, 1);
    }
  return names;
}

const char *
drill_errno_name (int err)
{
  for (gsize i = 0; i < G_N_ELEMENTS (errnos); i++)
    if (errnos[i].value == err)
      return errnos[i].name;
  return NULL;
}

const char *
drill_errno_text (int err)
{
  for (gsize i = 0; i < G_N_ELEMENTS (errnos); i++)
    if (errnos[i].value == err)
      return errnos[i].text;
  return "Unknown error";
}

gboolean
drill_errno_lookup (const char *name, int *err)
{
  for (gsize i = 0; i < G_N_ELEMENTS (errnos); i++)
    if (strcmp (errnos[i].name, name) == 0)
      {
        *err = errnos[i].value;
        return TRUE;
      }
  return FALSE;
}

/* ---- system calls ---- */

static const DrillCallInfo calls[] = {
  { "socket", DRILL_CALL_SOCKET, 3, 3 },
  { "bind", DRILL_CALL_BIND, 3, 3 },
  { "listen", DRILL_CALL_LISTEN, 2, 2 },
  { "accept", DRILL_CALL_ACCEPT, 3, 3 },
  { "connect", DRILL_CALL_CONNECT, 3, 3 },
  { "write", DRILL_CALL_WRITE, 3, 3 },
  { "send", DRILL_CALL_SEND, 4, 4 },
  { "read", DRILL_CALL_READ, 3, 3 },
  { "recv", DRILL_CALL_RECV, 4, 4 },
  { "shutdown", DRILL_CALL_SHUTDOWN, 2, 2 },
  { "close", DRILL_CALL_CLOSE, 1, 1 },
  { "setsockopt", DRILL_CALL_SETSOCKOPT, 5, 5 },
  { "getsockopt", DRILL_CALL_GETSOCKOPT, 5, 5 },
  { "fcntl", DRILL_CALL_FCNTL, 2, 3 },
};

const DrillCallInfo *
drill_call_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (calls); i++)
    if (strcmp (calls[i].name, name) == 0)
      return &calls[i];
  return NULL;
}

const char *const *
drill_call_names (void)
{
  static const char *names[G_N_ELEMENTS (calls) + 1];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (calls); i++)
        names[i] = calls[i].name;
      g_once_init_leave (&done, 1);
    }
  return names;
}

/* ---- sysctls ---- */

typedef enum {
  MAP_BOOL,                     /* 0 off, anything else on */
  MAP_COUNT,                    /* a plain number */
  MAP_TRIPLE,                   /* "min default max": the default, bytes */
  MAP_SECONDS,                  /* seconds, into a time parameter */
  MAP_USECS,                    /* microseconds, into a time parameter */
  MAP_CC,                       /* a congestion-control name */
  MAP_KEEPIDLE,                 /* seconds, the SO_KEEPALIVE idle time */
} MapKind;

typedef struct {
  const char *sysctl;
  const char *param;            /* tcp_param_lookup() name */
  MapKind kind;
} SysctlMap;

/* Linux sysctls with a TcpParams counterpart.  tcp_rmem and tcp_wmem give
 * their default, the size a new socket starts with. */
static const SysctlMap sysctl_map[] = {
  { "net.ipv4.tcp_timestamps", "timestamps", MAP_BOOL },
  { "net.ipv4.tcp_sack", "sack", MAP_BOOL },
  { "net.ipv4.tcp_window_scaling", "wscale", MAP_BOOL },
  { "net.ipv4.tcp_rmem", "rcvbuf", MAP_TRIPLE },
  { "net.ipv4.tcp_wmem", "sndbuf", MAP_TRIPLE },
  { "net.ipv4.tcp_congestion_control", "cc", MAP_CC },
  { "net.ipv4.tcp_syn_retries", "syn_retries", MAP_COUNT },
  { "net.ipv4.tcp_synack_retries", "syn_retries", MAP_COUNT },
  { "net.ipv4.tcp_retries2", "max_retries", MAP_COUNT },
  { "net.ipv4.tcp_keepalive_time", NULL, MAP_KEEPIDLE },
  { "net.ipv4.tcp_keepalive_intvl", "keepalive_intvl", MAP_SECONDS },
  { "net.ipv4.tcp_keepalive_probes", "keepalive_probes", MAP_COUNT },
  { "net.ipv4.tcp_rto_min_us", "rto_min", MAP_USECS },
};

static gboolean shell_error (const DrillLoc *loc, GError **error,
                             const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
shell_error (const DrillLoc *loc, GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DRILL_ERROR, DRILL_ERROR_SYNTAX,
               "%s:%u:%u: error: %s", loc->file, loc->line, loc->col,
               message);
  return FALSE;
}

static gboolean
parse_u64 (const char *text, guint64 *out)
{
  return text[0] != '\0' && g_ascii_string_to_unsigned (text, 10, 0,
                                                        G_MAXUINT64, out,
                                                        NULL);
}

static gboolean
parse_sysctl_value (const DrillLoc *loc, const SysctlMap *map,
                    const char *value, DrillSetting *out, GError **error)
{
  g_autofree char *q = scn_quote (value, SCN_QUOTE_MAX_CHARS);
  const TcpParamInfo *info = map->param ? tcp_param_lookup (map->param)
                                        : NULL;
  guint64 n = 0;

  out->param = info;
  switch (map->kind)
    {
    case MAP_BOOL:
      if (!parse_u64 (value, &n))
        return shell_error (loc, error, "%s: expected 0 or 1, found '%s'",
                            map->sysctl, q);
      out->value = n != 0;
      return TRUE;
    case MAP_COUNT:
      if (!parse_u64 (value, &n))
        return shell_error (loc, error, "%s: expected a number, found '%s'",
                            map->sysctl, q);
      break;
    case MAP_TRIPLE:
      {
        g_autofree char *copy = g_strdup (value);
        g_auto (GStrv) parts = g_strsplit_set (g_strstrip (copy), " \t", -1);
        GPtrArray *words = g_ptr_array_new ();
        gboolean ok = TRUE;

        for (guint i = 0; parts[i] != NULL; i++)
          if (parts[i][0] != '\0')
            g_ptr_array_add (words, parts[i]);
        if (words->len != 3 || !parse_u64 (g_ptr_array_index (words, 1), &n))
          ok = FALSE;
        g_ptr_array_unref (words);
        if (!ok)
          return shell_error (loc, error, "%s: expected three numbers "
                              "(min default max), found '%s'", map->sysctl,
                              q);
      }
      break;
    case MAP_SECONDS:
    case MAP_KEEPIDLE:
      if (!parse_u64 (value, &n) || n > G_MAXINT64 / SIM_S (1))
        return shell_error (loc, error, "%s: expected a number of seconds, "
                            "found '%s'", map->sysctl, q);
      n = (guint64) SIM_S (n);
      if (map->kind == MAP_KEEPIDLE)
        {
          if (n == 0)
            return shell_error (loc, error, "%s: must be at least 1 second",
                                map->sysctl);
          out->keepidle_ns = (SimTime) n;
          return TRUE;
        }
      break;
    case MAP_USECS:
      if (!parse_u64 (value, &n) || n > G_MAXINT64 / SIM_US (1))
        return shell_error (loc, error, "%s: expected a number of "
                            "microseconds, found '%s'", map->sysctl, q);
      n = (guint64) SIM_US (n);
      break;
    case MAP_CC:
      for (guint i = 0; tcp_cc_names[i] != NULL; i++)
        if (strcmp (tcp_cc_names[i], value) == 0)
          {
            out->value = i;
            return TRUE;
          }
      {
        g_autofree char *hint = scn_hint (value, tcp_cc_names, -1);

        return shell_error (loc, error, "%s: tcpsim has no congestion "
                            "control '%s'%s", map->sysctl, q, hint);
      }
    default:
      g_assert_not_reached ();
    }
  g_assert (info != NULL);
  if (n < info->min || n > info->max)
    return shell_error (loc, error, "%s: %s is out of range for tcp.%s",
                        map->sysctl, q, info->name);
  out->value = n;
  return TRUE;
}

static void
note (DrillShell *shell, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
note (DrillShell *shell, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (shell->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Applies "name=value" (name with '.' or '/' separators). */
static gboolean
apply_sysctl (const DrillLoc *loc, DrillShell *shell, const char *name_in,
              const char *value, GError **error)
{
  g_autofree char *name = g_strdup (name_in);

  g_strdelimit (name, "/", '.');
  for (gsize i = 0; i < G_N_ELEMENTS (sysctl_map); i++)
    {
      DrillSetting s = { 0 };

      if (strcmp (sysctl_map[i].sysctl, name) != 0)
        continue;
      if (!parse_sysctl_value (loc, &sysctl_map[i], value, &s, error))
        return FALSE;
      g_array_append_val (shell->settings, s);
      return TRUE;
    }
  note (shell, "ignored: sysctl %s=%s has no tcpsim parameter", name, value);
  return TRUE;
}

static gboolean
one_command (const DrillLoc *loc, DrillShell *shell, const char *command,
             GError **error)
{
  g_auto (GStrv) argv = NULL;
  int argc = 0;

  if (!g_shell_parse_argv (command, &argc, &argv, NULL))
    {
      note (shell, "ignored: shell command '%s'", command);
      return TRUE;
    }
  if (strcmp (argv[0], "sysctl") == 0)
    {
      gboolean any = FALSE;

      for (int i = 1; i < argc; i++)
        {
          const char *eq = strchr (argv[i], '=');
          g_autofree char *name = NULL;

          if (argv[i][0] == '-')
            continue;           /* -q, -w, -e */
          if (eq == NULL)
            {
              note (shell, "ignored: sysctl read of %s", argv[i]);
              continue;
            }
          name = g_strndup (argv[i], (gsize) (eq - argv[i]));
          if (!apply_sysctl (loc, shell, name, eq + 1, error))
            return FALSE;
          any = TRUE;
        }
      if (!any && argc == 1)
        note (shell, "ignored: sysctl without arguments");
      return TRUE;
    }
  if (strcmp (argv[0], "echo") == 0)
    {
      /* echo VALUE... > /proc/sys/net/ipv4/NAME */
      g_autoptr (GString) value = g_string_new (NULL);
      const char *path = NULL;

      for (int i = 1; i < argc; i++)
        {
          if (strcmp (argv[i], ">") == 0 && i + 1 < argc)
            {
              path = argv[i + 1];
              break;
            }
          if (argv[i][0] == '>')
            {
              path = argv[i] + 1;
              break;
            }
          if (value->len > 0)
            g_string_append_c (value, ' ');
          g_string_append (value, argv[i]);
        }
      if (path != NULL && g_str_has_prefix (path, "/proc/sys/"))
        return apply_sysctl (loc, shell, path + strlen ("/proc/sys/"),
                             value->str, error);
    }
  note (shell, "ignored: shell command '%s'", command);
  return TRUE;
}

gboolean
drill_shell_interpret (const DrillLoc *loc, DrillShell *shell,
                       GError **error)
{
  g_autofree char *text = g_strdup (shell->text);
  g_auto (GStrv) parts = NULL;

  /* "a; b && c" runs a, b and c in order (when they succeed, which a
   * sysctl write on a test machine does). */
  for (char *p = text; (p = strstr (p, "&&")) != NULL;)
    {
      p[0] = ';';
      p[1] = ' ';
    }
  parts = g_strsplit_set (text, ";\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *c = g_strstrip (parts[i]);

      if (c[0] == '\0')
        continue;
      if (!one_command (loc, shell, c, error))
        return FALSE;
    }
  return TRUE;
}
