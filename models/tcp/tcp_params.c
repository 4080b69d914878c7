/* tcp_params.c: parameter defaults, the profiles and the parameter table.
 *
 * The `rfc` profile takes each value from the RFC that defines it; the
 * `linux` profile takes what Linux 6.x does.  A profile is a starting
 * point: any single parameter can be set after it.
 */
#include "models/tcp/tcp.h"

#include <stddef.h>
#include <string.h>

const char *const tcp_profile_names[] = { "rfc", "linux", NULL };
const char *const tcp_cc_names[] = { "newreno", "reno", "cubic", NULL };

void
tcp_params_init (TcpParams *p)
{
  memset (p, 0, sizeof *p);
  p->mss_bytes = 1460;
  p->snd_buf_bytes = 65535;
  p->rcv_buf_bytes = 65535;
  p->wscale = FALSE;
  p->isn_mode = TCP_ISN_RANDOM;
  p->isn = 0;
  p->rto_initial_ns = SIM_S (1);        /* RFC 6298 (2.1) */
  p->rto_min_ns = SIM_S (1);            /* RFC 6298 (2.4) */
  p->rto_max_ns = SIM_S (60);           /* RFC 6298 (2.5): at least 60 s */
  p->syn_retries = 5;
  p->max_retries = 12;
  p->msl_ns = SIM_S (120);              /* RFC 9293 3.4.2: 2 minutes */
  p->delack_ns = SIM_MS (200);          /* RFC 1122 4.2.3.2: < 0.5 s */
  p->delack_segs = 2;                   /* RFC 5681 4.2: every second */
  p->ack_fin_now = TRUE;
  p->nagle = TRUE;
  p->iw_segs = 0;                       /* RFC 5681 3.1 */
  p->dupack_thresh = 3;                 /* RFC 5681 3.2 */
  p->limited_transmit = TRUE;           /* RFC 3042: SHOULD */
  p->quickack_segs = 0;
  p->keepalive_idle_ns = 0;             /* RFC 1122: off by default */
  p->keepalive_intvl_ns = SIM_S (75);
  p->keepalive_probes = 9;
  p->backlog = 128;
  p->cc = 0;                            /* newreno, RFC 6582 */
}

gboolean
tcp_params_apply_profile (TcpParams *p, const char *profile, GError **error)
{
  if (strcmp (profile, "rfc") == 0)
    {
      tcp_params_init (p);
      return TRUE;
    }
  if (strcmp (profile, "linux") == 0)
    {
      tcp_params_init (p);
      p->snd_buf_bytes = 131072;
      p->rcv_buf_bytes = 131072;
      p->wscale = TRUE;
      p->rto_min_ns = SIM_MS (200);     /* TCP_RTO_MIN */
      p->rto_max_ns = SIM_S (120);      /* TCP_RTO_MAX */
      p->syn_retries = 6;               /* tcp_syn_retries */
      p->max_retries = 15;              /* tcp_retries2 */
      p->msl_ns = SIM_S (30);           /* TCP_TIMEWAIT_LEN is 60 s */
      p->delack_ns = SIM_MS (40);       /* TCP_DELACK_MIN */
      p->ack_fin_now = FALSE;
      p->iw_segs = 10;                  /* RFC 6928 */
      p->timestamps = TRUE;
      p->sack = TRUE;
      p->quickack_segs = 16;            /* TCP_MAX_QUICKACKS */
      p->cc = 2;                        /* cubic */
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "unknown TCP profile '%s' (expected rfc or linux)", profile);
  return FALSE;
}

#define OFF(field) offsetof (TcpParams, field)

static const TcpParamInfo param_table[] = {
  { "mss", TCP_PARAM_BYTES, OFF (mss_bytes), 64, 65495, NULL,
    "maximum segment size we send and announce" },
  { "sndbuf", TCP_PARAM_BYTES, OFF (snd_buf_bytes), 1, 1u << 30, NULL,
    "send buffer" },
  { "rcvbuf", TCP_PARAM_BYTES, OFF (rcv_buf_bytes), 1, 1u << 30, NULL,
    "receive buffer, the largest window offered" },
  { "wscale", TCP_PARAM_BOOL, OFF (wscale), 0, 1, NULL,
    "RFC 7323 window scaling" },
  { "timestamps", TCP_PARAM_BOOL, OFF (timestamps), 0, 1, NULL,
    "RFC 7323 timestamps (RTT measurement, PAWS)" },
  { "sack", TCP_PARAM_BOOL, OFF (sack), 0, 1, NULL,
    "RFC 2018 selective acknowledgements, RFC 6675 recovery" },
  { "isn", TCP_PARAM_ISN, OFF (isn), 0, G_MAXUINT32, NULL,
    "initial sequence number: random (RFC 6528) or a number" },
  { "rto_initial", TCP_PARAM_TIME, OFF (rto_initial_ns), 1,
    (guint64) SIM_S (3600), NULL, "RTO before the first RTT sample" },
  { "rto_min", TCP_PARAM_TIME, OFF (rto_min_ns), 1,
    (guint64) SIM_S (3600), NULL, "lower bound of the RTO" },
  { "rto_max", TCP_PARAM_TIME, OFF (rto_max_ns), 1,
    (guint64) SIM_S (3600), NULL, "upper bound of the RTO" },
  { "syn_retries", TCP_PARAM_COUNT, OFF (syn_retries), 0, 100, NULL,
    "SYN retransmissions before giving up" },
  { "max_retries", TCP_PARAM_COUNT, OFF (max_retries), 0, 100, NULL,
    "retransmissions of the same data before aborting" },
  { "msl", TCP_PARAM_TIME, OFF (msl_ns), 0, (guint64) SIM_S (3600), NULL,
    "maximum segment lifetime; TIME_WAIT lasts 2 MSL" },
  { "delack", TCP_PARAM_TIME, OFF (delack_ns), 0, (guint64) SIM_MS (500),
    NULL, "delayed-ACK timer (off: ACK every segment at once)" },
  { "delack_segs", TCP_PARAM_COUNT, OFF (delack_segs), 1, 64, NULL,
    "ACK at least every this many segments" },
  { "ack_fin_now", TCP_PARAM_BOOL, OFF (ack_fin_now), 0, 1, NULL,
    "ACK a FIN at once (BSD) rather than after the delayed-ACK timer" },
  { "nagle", TCP_PARAM_BOOL, OFF (nagle), 0, 1, NULL,
    "Nagle's algorithm (RFC 896)" },
  { "iw", TCP_PARAM_COUNT, OFF (iw_segs), 0, 1000, NULL,
    "initial window in segments (0: RFC 5681 rule, 2 to 4)" },
  { "dupack_thresh", TCP_PARAM_COUNT, OFF (dupack_thresh), 1, 100, NULL,
    "duplicate ACKs that trigger fast retransmit" },
  { "limited_transmit", TCP_PARAM_BOOL, OFF (limited_transmit), 0, 1, NULL,
    "RFC 3042 limited transmit" },
  { "quickack", TCP_PARAM_COUNT, OFF (quickack_segs), 0, 1000, NULL,
    "segments ACKed at once at connection start (Linux quick-ACK)" },
  { "keepalive", TCP_PARAM_TIME, OFF (keepalive_idle_ns), 0,
    (guint64) SIM_S (86400), NULL, "keepalive idle time (off: none)" },
  { "keepalive_intvl", TCP_PARAM_TIME, OFF (keepalive_intvl_ns), 1,
    (guint64) SIM_S (86400), NULL, "time between keepalive probes" },
  { "keepalive_probes", TCP_PARAM_COUNT, OFF (keepalive_probes), 1, 100,
    NULL, "unanswered keepalive probes before aborting" },
  { "backlog", TCP_PARAM_COUNT, OFF (backlog), 1, 1000000, NULL,
    "half-open connections a listener holds" },
  { "rfc1337", TCP_PARAM_BOOL, OFF (rfc1337), 0, 1, NULL,
    "ignore RSTs in TIME_WAIT (RFC 1337's TIME-WAIT assassination fix)" },
  { "cc", TCP_PARAM_CHOICE, OFF (cc), 0, 0, tcp_cc_names,
    "congestion control" },
};

const TcpParamInfo *
tcp_param_table (guint *n_out)
{
  *n_out = G_N_ELEMENTS (param_table);
  return param_table;
}

const TcpParamInfo *
tcp_param_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (param_table); i++)
    if (strcmp (param_table[i].name, name) == 0)
      return &param_table[i];
  return NULL;
}

const char *
tcp_close_reason_name (TcpCloseReason reason)
{
  static const char *const names[] = {
    [TCP_CLOSE_NORMAL] = "normal",
    [TCP_CLOSE_RESET] = "reset",
    [TCP_CLOSE_REFUSED] = "refused",
    [TCP_CLOSE_TIMEOUT] = "timeout",
    [TCP_CLOSE_ABORTED] = "aborted",
  };

  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (names), "?");
  return names[reason];
}
