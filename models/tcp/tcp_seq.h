/* tcp_seq.h: 32-bit sequence-number comparisons modulo 2^32
 * (RFC 9293 section 3.4). */
#pragma once

#include <glib.h>

#define TCP_SEQ_LT(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) < 0)
#define TCP_SEQ_LEQ(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) <= 0)
#define TCP_SEQ_GT(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) > 0)
#define TCP_SEQ_GEQ(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) >= 0)
#define TCP_SEQ_MAX(a, b) (TCP_SEQ_GT (a, b) ? (a) : (b))
#define TCP_SEQ_MIN(a, b) (TCP_SEQ_LT (a, b) ? (a) : (b))
