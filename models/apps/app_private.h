/* app_private.h: what the applications share: the App header, the
 * component glue, pattern writing and verified reading. */
#pragma once

#include "models/apps/apps.h"

G_BEGIN_DECLS

struct App {
  Network *net;
  char *name;
  AppStats stats;
  void (*start) (App *app);
  void (*free_priv) (App *app);
  void *priv;
};

/* An optional TcpParams kept by value, so that the caller's need not
 * outlive the constructor. */
typedef struct {
  TcpParams params;
  gboolean set;
} AppTcpParams;

static inline void
app__tcp_keep (AppTcpParams *keep, const TcpParams *params)
{
  keep->set = params != NULL;
  if (params != NULL)
    keep->params = *params;
}

/* Returns: (transfer none) (nullable): the kept parameters, or NULL for
 * the host's defaults. */
static inline const TcpParams *
app__tcp_get (const AppTcpParams *keep)
{
  return keep->set ? &keep->params : NULL;
}

/* Returns: (transfer none): an App registered as a component of @net's
 * world; @start runs when the world starts. */
App *app__new (Network *net, const char *name, void (*start) (App *app),
               void (*free_priv) (App *app), void *priv);

/* Writes the pattern from *@offset up to @total_bytes into @ep as far as
 * its send buffer allows; advances *@offset. */
void app__write_pattern (TcpEndpoint *ep, guint64 *offset,
                         guint64 total_bytes);

/* Reads everything readable from @ep, checking each byte against the
 * pattern from *@offset; advances *@offset and counts mismatches in
 * app->stats.bytes_corrupt.  Returns the bytes read. */
guint64 app__read_verify (App *app, TcpEndpoint *ep, guint64 *offset);

/* What a client/server app does when the world starts: listen on @port of
 * @server (@params nullable: the host's defaults), then arm @start_timer
 * for @start_ns (or now, if that has passed).  Returns: (transfer none)
 * (nullable): the listener, or NULL after a warning when the port is
 * taken. */
TcpEndpoint *app__listen_and_arm (App *app, Node *server, guint16 port,
                                  const TcpParams *params,
                                  const TcpCallbacks *callbacks,
                                  SimTimer *start_timer, SimTime start_ns);

void app__trace (App *app, const char *side, const char *what,
                 TcpEndpoint *ep, guint64 bytes);

G_END_DECLS
