/* tcp_fsm.h: the eleven states of RFC 9293 section 3.3.2, and their
 * names as the RFC writes them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TCP_STATE_CLOSED,
  TCP_STATE_LISTEN,
  TCP_STATE_SYN_SENT,
  TCP_STATE_SYN_RECEIVED,
  TCP_STATE_ESTABLISHED,
  TCP_STATE_FIN_WAIT_1,
  TCP_STATE_FIN_WAIT_2,
  TCP_STATE_CLOSE_WAIT,
  TCP_STATE_CLOSING,
  TCP_STATE_LAST_ACK,
  TCP_STATE_TIME_WAIT,
  TCP_N_STATES
} TcpState;

/* "SYN_SENT", "ESTABLISHED", ... */
const char *tcp_state_name (TcpState state);
/* Parses a name as tcp_state_name() prints it (also accepted: SYN_RECV,
 * with '-' for '_', in any case). */
gboolean tcp_state_from_name (const char *name, TcpState *out);

/* States in which a FIN has been received: no more data will arrive. */
static inline gboolean
tcp_state_have_rcvd_fin (TcpState s)
{
  return s == TCP_STATE_CLOSE_WAIT || s == TCP_STATE_CLOSING
         || s == TCP_STATE_LAST_ACK || s == TCP_STATE_TIME_WAIT;
}

/* States in which our FIN has been queued: the application may not send. */
static inline gboolean
tcp_state_have_sent_fin (TcpState s)
{
  return s == TCP_STATE_FIN_WAIT_1 || s == TCP_STATE_FIN_WAIT_2
         || s == TCP_STATE_CLOSING || s == TCP_STATE_LAST_ACK
         || s == TCP_STATE_TIME_WAIT;
}

G_END_DECLS
