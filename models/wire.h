/* wire.h: big-endian field access for header codecs. */
#pragma once

#include <glib.h>

static inline void
wire_put16 (guint8 *p, guint16 v)
{
  p[0] = (guint8) (v >> 8);
  p[1] = (guint8) v;
}

static inline void
wire_put32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

static inline guint16
wire_get16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
wire_get32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16)
         | ((guint32) p[2] << 8) | p[3];
}
