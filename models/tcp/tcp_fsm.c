/* tcp_fsm.c: state names. */
#include "models/tcp/tcp_fsm.h"

#include <string.h>

static const char *const state_names[TCP_N_STATES] = {
  [TCP_STATE_CLOSED] = "CLOSED",
  [TCP_STATE_LISTEN] = "LISTEN",
  [TCP_STATE_SYN_SENT] = "SYN_SENT",
  [TCP_STATE_SYN_RECEIVED] = "SYN_RECEIVED",
  [TCP_STATE_ESTABLISHED] = "ESTABLISHED",
  [TCP_STATE_FIN_WAIT_1] = "FIN_WAIT_1",
  [TCP_STATE_FIN_WAIT_2] = "FIN_WAIT_2",
  [TCP_STATE_CLOSE_WAIT] = "CLOSE_WAIT",
  [TCP_STATE_CLOSING] = "CLOSING",
  [TCP_STATE_LAST_ACK] = "LAST_ACK",
  [TCP_STATE_TIME_WAIT] = "TIME_WAIT",
};

const char *
tcp_state_name (TcpState state)
{
  g_return_val_if_fail ((guint) state < TCP_N_STATES, "?");
  return state_names[state];
}

gboolean
tcp_state_from_name (const char *name, TcpState *out)
{
  g_autofree char *norm = g_ascii_strup (name, -1);

  g_strdelimit (norm, "-", '_');
  if (strcmp (norm, "SYN_RECV") == 0 || strcmp (norm, "SYN_RCVD") == 0)
    {
      *out = TCP_STATE_SYN_RECEIVED;
      return TRUE;
    }
  for (guint i = 0; i < TCP_N_STATES; i++)
    if (strcmp (norm, state_names[i]) == 0)
      {
        *out = (TcpState) i;
        return TRUE;
      }
  return FALSE;
}
