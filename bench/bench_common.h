/* bench_common.h: what the DESIGN.md benchmarks share: the TCP of S1
 * ("NewReno, no SACK, no timestamps, window scaling on, 128 KiB
 * send/receive buffers, IW 10, delayed ACK 2 segments/200 ms, min RTO
 * 1 s, MSS 1460") and the peak resident set size. */
#pragma once

#include <sys/resource.h>

#include "models/tcp/tcp.h"

static inline void
bench_s1_tcp_params (TcpParams *p)
{
  tcp_params_init (p);
  p->wscale = TRUE;
  p->snd_buf_bytes = 131072;
  p->rcv_buf_bytes = 131072;
  p->iw_segs = 10;
  p->mss_bytes = 1460;
}

static inline double
bench_peak_rss_mib (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (double) ru.ru_maxrss / 1024.0;
}
