/* scn_units.h: exact parsing of the quantities a scenario writes.
 *
 * Every quantity carries its unit, and every parse is exact: numbers are
 * read digit by digit as integers and scaled by the unit, never through
 * strtod(), so "1.5MB" is 1500000 bytes and "0.5KiB" is 512; a value that
 * is not a whole number of the base unit ("1.5B", "0.5bps") is an error,
 * not a rounding.  Times are sim_time_parse()'s (sim/clock.h).
 *
 *   size         B KB KiB MB MiB GB GiB      (KB = 1000 B, KiB = 1024 B)
 *   rate         bps kbps Mbps Gbps          (decimal multiples)
 *   time         ns us ms s min h
 *   probability  "1%" or "0.01", in [0, 1]
 *
 * Each function sets a SCN_ERROR (SCN_ERROR_VALUE, or SCN_ERROR_UNKNOWN
 * for an unknown unit) whose message quotes the text and says what was
 * expected, or succeeds; never both.  Nothing here knows a scenario file:
 * the caller prefixes the location.
 */
#pragma once

#include "scenarios/scn_diag.h"
#include "sim/clock.h"

G_BEGIN_DECLS

gboolean scn_parse_size (const char *text, guint64 *out_bytes,
                         GError **error);
gboolean scn_parse_rate (const char *text, guint64 *out_bps, GError **error);
gboolean scn_parse_time (const char *text, SimTime *out_ns, GError **error);
/* The double nearest to the decimal value, as a correctly rounded
 * quotient of two exact integers. */
gboolean scn_parse_prob (const char *text, double *out_prob, GError **error);
/* A plain decimal whole number, no sign, no unit. */
gboolean scn_parse_count (const char *text, guint64 *out, GError **error);
/* on/off, yes/no, true/false, in any case. */
gboolean scn_parse_bool (const char *text, gboolean *out, GError **error);
/* Dotted quad; the result is in host byte order. */
gboolean scn_parse_ipv4 (const char *text, guint32 *out_addr, GError **error);
/* A TCP port, 1 to 65535. */
gboolean scn_parse_port (const char *text, guint16 *out_port, GError **error);

/* Longest name a scenario may declare: names become parts of file names
 * and random-stream names. */
#define SCN_NAME_MAX_BYTES 63u

/* A name a scenario may declare: a letter or '_', then letters, digits,
 * '_' and '-', at most SCN_NAME_MAX_BYTES long. */
gboolean scn_is_name (const char *text);

#define SCN_FORMAT_BYTES 32u

/* Formats with the largest unit that keeps the value exact: "1GiB",
 * "1.5MB" is never produced ("1500KB" is), "1460B". */
void scn_format_size (guint64 bytes, char buf[SCN_FORMAT_BYTES]);
/* "10Mbps", "1500kbps", "64bps". */
void scn_format_rate (guint64 bps, char buf[SCN_FORMAT_BYTES]);

G_END_DECLS
