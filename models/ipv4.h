/* ipv4.h: IPv4 addresses and the 20-byte IPv4 header (no options), in
 * real wire format with a real header checksum. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef guint32 Ipv4Addr;               /* host byte order */

#define IPV4_HEADER_BYTES 20u
#define IPV4_PROTO_TCP 6u
#define IPV4_DEFAULT_TTL 64u
#define IPV4_ADDR_STR_BYTES 16u

typedef struct {
  Ipv4Addr src;
  Ipv4Addr dst;
  guint8 proto;
  guint8 ttl;
  guint8 tos;
  guint16 id;
  guint16 total_len_bytes;
  gboolean dont_fragment;
} Ipv4Header;

/* Parses dotted-quad text ("172.16.17.94"). */
gboolean ipv4_addr_parse (const char *text, Ipv4Addr *out);
void ipv4_addr_format (Ipv4Addr addr, char buf[IPV4_ADDR_STR_BYTES]);

/* Writes a 20-byte header at @p, checksum included. */
void ipv4_header_write (guint8 *p, const Ipv4Header *hdr);

typedef enum {
  IPV4_PARSE_OK,
  IPV4_PARSE_TRUNCATED,
  IPV4_PARSE_BAD_VERSION,
  IPV4_PARSE_BAD_LENGTH,
  IPV4_PARSE_BAD_CHECKSUM,
} Ipv4ParseResult;

/* Parses and verifies the header at @p (of @len_bytes available);
 * @hdr_len_bytes receives the header length including options. */
Ipv4ParseResult ipv4_header_parse (const guint8 *p, gsize len_bytes,
                                   Ipv4Header *hdr, guint *hdr_len_bytes);
const char *ipv4_parse_result_name (Ipv4ParseResult r);

/* Decrements the TTL in place, updating the checksum incrementally
 * (RFC 1624).  Returns the new TTL. */
guint8 ipv4_header_decrement_ttl (guint8 *p);

G_END_DECLS
