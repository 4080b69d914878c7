/* ipv4.c: address text, header build, parse and verify. */
#include "models/ipv4.h"

#include "models/checksum.h"
#include "models/wire.h"

gboolean
ipv4_addr_parse (const char *text, Ipv4Addr *out)
{
  guint32 addr = 0;
  const char *p = text;

  for (int i = 0; i < 4; i++)
    {
      guint value = 0;
      int digits = 0;

      while (g_ascii_isdigit (*p) && digits < 4)
        {
          value = value * 10 + (guint) (*p - '0');
          digits++;
          p++;
        }
      if (digits == 0 || digits > 3 || value > 255)
        return FALSE;
      addr = (addr << 8) | value;
      if (i < 3)
        {
          if (*p != '.')
            return FALSE;
          p++;
        }
    }
  if (*p != '\0')
    return FALSE;
  *out = addr;
  return TRUE;
}

void
ipv4_addr_format (Ipv4Addr addr, char buf[IPV4_ADDR_STR_BYTES])
{
  g_snprintf (buf, IPV4_ADDR_STR_BYTES, "%u.%u.%u.%u", (addr >> 24) & 0xff,
              (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
}

void
ipv4_header_write (guint8 *p, const Ipv4Header *hdr)
{
  p[0] = 0x45;                          /* version 4, IHL 5 words */
  p[1] = hdr->tos;
  wire_put16 (p + 2, hdr->total_len_bytes);
  wire_put16 (p + 4, hdr->id);
  wire_put16 (p + 6, hdr->dont_fragment ? 0x4000 : 0);
  p[8] = hdr->ttl;
  p[9] = hdr->proto;
  wire_put16 (p + 10, 0);
  wire_put32 (p + 12, hdr->src);
  wire_put32 (p + 16, hdr->dst);
  wire_put16 (p + 10, inet_csum (p, IPV4_HEADER_BYTES));
}

Ipv4ParseResult
ipv4_header_parse (const guint8 *p, gsize len_bytes, Ipv4Header *hdr,
                   guint *hdr_len_bytes)
{
  guint ihl_bytes;

  if (len_bytes < IPV4_HEADER_BYTES)
    return IPV4_PARSE_TRUNCATED;
  if ((p[0] >> 4) != 4)
    return IPV4_PARSE_BAD_VERSION;
  ihl_bytes = (guint) (p[0] & 0x0f) * 4;
  if (ihl_bytes < IPV4_HEADER_BYTES || ihl_bytes > len_bytes)
    return IPV4_PARSE_BAD_LENGTH;
  hdr->tos = p[1];
  hdr->total_len_bytes = wire_get16 (p + 2);
  if (hdr->total_len_bytes < ihl_bytes || hdr->total_len_bytes > len_bytes)
    return IPV4_PARSE_BAD_LENGTH;
  if (inet_csum (p, ihl_bytes) != 0)
    return IPV4_PARSE_BAD_CHECKSUM;
  hdr->id = wire_get16 (p + 4);
  hdr->dont_fragment = (wire_get16 (p + 6) & 0x4000) != 0;
  hdr->ttl = p[8];
  hdr->proto = p[9];
  hdr->src = wire_get32 (p + 12);
  hdr->dst = wire_get32 (p + 16);
  if (hdr_len_bytes != NULL)
    *hdr_len_bytes = ihl_bytes;
  return IPV4_PARSE_OK;
}

const char *
ipv4_parse_result_name (Ipv4ParseResult r)
{
  static const char *const names[] = {
    [IPV4_PARSE_OK] = "ok",
    [IPV4_PARSE_TRUNCATED] = "ip-truncated",
    [IPV4_PARSE_BAD_VERSION] = "ip-bad-version",
    [IPV4_PARSE_BAD_LENGTH] = "ip-bad-length",
    [IPV4_PARSE_BAD_CHECKSUM] = "ip-bad-checksum",
  };

  g_return_val_if_fail ((guint) r < G_N_ELEMENTS (names), "?");
  return names[r];
}

guint8
ipv4_header_decrement_ttl (guint8 *p)
{
  guint16 old_word = wire_get16 (p + 8);
  guint16 new_word;
  guint16 csum = wire_get16 (p + 10);

  p[8]--;
  new_word = wire_get16 (p + 8);
  wire_put16 (p + 10, inet_csum_update16 (csum, old_word, new_word));
  return p[8];
}
