/* scn_units.c: sizes, rates, probabilities, counts, booleans, addresses.
 *
 * parse_decimal() reads "digits[.digits]" into an integer mantissa and a
 * count of fraction digits, dropping trailing fraction zeros so that
 * "1.500000000000000000000KB" costs no precision; then scale_exact()
 * multiplies by the unit and divides by the power of ten, failing unless
 * the result is a whole number that fits in 64 bits.
 */
#include "scenarios/scn_units.h"

#include <string.h>

typedef struct {
  const char *name;
  guint64 multiplier;
} ScnUnit;

static const ScnUnit size_units[] = {
  { "B", 1 },
  { "KB", G_GUINT64_CONSTANT (1000) },
  { "KiB", G_GUINT64_CONSTANT (1024) },
  { "MB", G_GUINT64_CONSTANT (1000000) },
  { "MiB", G_GUINT64_CONSTANT (1048576) },
  { "GB", G_GUINT64_CONSTANT (1000000000) },
  { "GiB", G_GUINT64_CONSTANT (1073741824) },
};
static const char *const size_unit_names[] = {
  "B", "KB", "KiB", "MB", "MiB", "GB", "GiB", NULL
};
#define SIZE_UNITS_TEXT "B, KB, KiB, MB, MiB, GB or GiB"

static const ScnUnit rate_units[] = {
  { "bps", 1 },
  { "kbps", G_GUINT64_CONSTANT (1000) },
  { "Mbps", G_GUINT64_CONSTANT (1000000) },
  { "Gbps", G_GUINT64_CONSTANT (1000000000) },
};
static const char *const rate_unit_names[] = {
  "bps", "kbps", "Mbps", "Gbps", NULL
};
#define RATE_UNITS_TEXT "bps, kbps, Mbps or Gbps"

typedef struct {
  guint64 mantissa;
  guint frac_digits;            /* value = mantissa / 10^frac_digits */
  const char *unit;             /* what follows the number, blanks skipped */
} ScnDecimal;

typedef enum {
  DECIMAL_OK,
  DECIMAL_SYNTAX,
  DECIMAL_NEGATIVE,
  DECIMAL_TOO_LARGE,
  DECIMAL_TOO_PRECISE,          /* more than 19 significant fraction digits */
} ScnDecimalResult;

static guint64
pow10_u64 (guint n)
{
  guint64 r = 1;

  g_assert (n <= 19);
  while (n-- > 0)
    r *= 10;
  return r;
}

static ScnDecimalResult
parse_decimal (const char *text, ScnDecimal *d)
{
  const char *p = text;
  gboolean any_digit = FALSE;
  guint pending_zeros = 0;

  *d = (ScnDecimal) { 0 };
  if (*p == '-')
    return DECIMAL_NEGATIVE;
  while (g_ascii_isdigit (*p))
    {
      guint digit = (guint) (*p - '0');

      if (d->mantissa > (G_MAXUINT64 - digit) / 10)
        return DECIMAL_TOO_LARGE;
      d->mantissa = d->mantissa * 10 + digit;
      any_digit = TRUE;
      p++;
    }
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        {
          guint digit = (guint) (*p - '0');

          any_digit = TRUE;
          p++;
          /* Zeros count only once a later non-zero digit needs them. */
          if (digit == 0)
            {
              pending_zeros++;
              continue;
            }
          for (guint i = 0; i <= pending_zeros; i++)
            {
              if (d->mantissa > G_MAXUINT64 / 10 || d->frac_digits >= 19)
                return DECIMAL_TOO_PRECISE;
              d->mantissa *= 10;
              d->frac_digits++;
            }
          if (d->mantissa > G_MAXUINT64 - digit)
            return DECIMAL_TOO_LARGE;
          d->mantissa += digit;
          pending_zeros = 0;
        }
    }
  if (!any_digit)
    return DECIMAL_SYNTAX;
  while (*p == ' ')
    p++;
  d->unit = p;
  return DECIMAL_OK;
}

static guint64
gcd_u64 (guint64 a, guint64 b)
{
  while (b != 0)
    {
      guint64 t = a % b;

      a = b;
      b = t;
    }
  return a;
}

/* *out = mantissa * multiplier / 10^frac_digits.  Returns 0 on success,
 * 1 when the result is not whole, 2 when it overflows. */
static int
scale_exact (const ScnDecimal *d, guint64 multiplier, guint64 *out)
{
  guint64 den = pow10_u64 (d->frac_digits);
  guint64 g = gcd_u64 (multiplier, den);
  guint64 mult = multiplier / g;
  guint64 m;

  den /= g;
  if (d->mantissa % den != 0)
    return 1;
  m = d->mantissa / den;
  if (mult != 0 && m > G_MAXUINT64 / mult)
    return 2;
  *out = m * mult;
  return 0;
}

static void
set_value_error (GError **error, const char *format, ...)
  G_GNUC_PRINTF (2, 3);

static void
set_value_error (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SCN_ERROR, SCN_ERROR_VALUE, message);
}

/* Parses "<decimal><unit>" for sizes and rates. */
static gboolean
parse_with_unit (const char *text, const char *what, const char *example,
                 const ScnUnit *units, gsize n_units,
                 const char *const *unit_names, const char *units_text,
                 guint64 *out, GError **error)
{
  g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);
  ScnDecimal d;
  const ScnUnit *unit = NULL;

  switch (parse_decimal (text, &d))
    {
    case DECIMAL_OK:
      break;
    case DECIMAL_SYNTAX:
      set_value_error (error, "expected a %s such as %s, got '%s'", what,
                       example, q);
      return FALSE;
    case DECIMAL_NEGATIVE:
      set_value_error (error, "a %s cannot be negative: '%s'", what, q);
      return FALSE;
    case DECIMAL_TOO_LARGE:
      set_value_error (error, "%s '%s' is too large", what, q);
      return FALSE;
    case DECIMAL_TOO_PRECISE:
      set_value_error (error, "%s '%s' has too many digits", what, q);
      return FALSE;
    default:
      g_assert_not_reached ();
    }
  for (gsize i = 0; i < n_units; i++)
    if (strcmp (d.unit, units[i].name) == 0)
      unit = &units[i];
  if (unit == NULL)
    {
      if (*d.unit == '\0')
        set_value_error (error, "%s '%s' needs a unit (%s)", what, q,
                         units_text);
      else
        {
          g_autofree char *qu = scn_quote (d.unit, SCN_QUOTE_MAX_CHARS);
          g_autofree char *hint = scn_hint (d.unit, unit_names, -1);

          g_set_error (error, SCN_ERROR, SCN_ERROR_UNKNOWN,
                       "unknown %s unit '%s' in '%s'%s: expected %s", what,
                       qu, q, hint, units_text);
        }
      return FALSE;
    }
  switch (scale_exact (&d, unit->multiplier, out))
    {
    case 0:
      return TRUE;
    case 1:
      set_value_error (error, "%s '%s' is not a whole number of %s", what, q,
                       units[0].name);
      return FALSE;
    default:
      set_value_error (error, "%s '%s' is too large", what, q);
      return FALSE;
    }
}

gboolean
scn_parse_size (const char *text, guint64 *out_bytes, GError **error)
{
  g_return_val_if_fail (text != NULL && out_bytes != NULL, FALSE);
  return parse_with_unit (text, "size", "159B or 1.5MB", size_units,
                          G_N_ELEMENTS (size_units), size_unit_names,
                          SIZE_UNITS_TEXT, out_bytes, error);
}

gboolean
scn_parse_rate (const char *text, guint64 *out_bps, GError **error)
{
  g_return_val_if_fail (text != NULL && out_bps != NULL, FALSE);
  return parse_with_unit (text, "rate", "10Mbps", rate_units,
                          G_N_ELEMENTS (rate_units), rate_unit_names,
                          RATE_UNITS_TEXT, out_bps, error);
}

static const char *const time_unit_names[] = {
  "ns", "us", "ms", "s", "min", "h", NULL
};

gboolean
scn_parse_time (const char *text, SimTime *out_ns, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *q = NULL;
  const char *unit = text;

  g_return_val_if_fail (text != NULL && out_ns != NULL, FALSE);

  if (sim_time_parse (text, out_ns, &local))
    return TRUE;
  q = scn_quote (text, SCN_QUOTE_MAX_CHARS);
  while (g_ascii_isdigit (*unit) || *unit == '.' || *unit == ' ')
    unit++;
  if (unit != text && *unit != '\0' && !g_strv_contains (time_unit_names, unit))
    {
      g_autofree char *qu = scn_quote (unit, SCN_QUOTE_MAX_CHARS);
      g_autofree char *hint = scn_hint (unit, time_unit_names, -1);

      g_set_error (error, SCN_ERROR, SCN_ERROR_UNKNOWN,
                   "unknown time unit '%s' in '%s'%s: expected ns, us, ms, "
                   "s, min or h", qu, q, hint);
      return FALSE;
    }
  /* The clock's messages quote the text as it came; say the same from
   * its error code, with the text made safe to print. */
  if (g_error_matches (local, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_UNIT))
    set_value_error (error, "duration '%s' needs a unit (ns, us, ms, s, min "
                     "or h)", q);
  else if (g_error_matches (local, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_RANGE))
    {
      if (*text == '-')
        set_value_error (error, "a duration cannot be negative: '%s'", q);
      else
        set_value_error (error, "duration '%s' is too large", q);
    }
  else if (g_error_matches (local, SIM_CLOCK_ERROR,
                            SIM_CLOCK_ERROR_PRECISION))
    set_value_error (error, "duration '%s' is finer than one nanosecond", q);
  else
    set_value_error (error, "expected a duration such as 10ms, got '%s'", q);
  return FALSE;
}

/* Powers of ten that a double holds exactly: up to 10^22. */
#define PROB_MAX_POW10 22u
/* Integers that a double holds exactly: up to 2^53. */
#define PROB_MAX_MANTISSA (G_GUINT64_CONSTANT (1) << 53)

gboolean
scn_parse_prob (const char *text, double *out_prob, GError **error)
{
  g_autofree char *q = NULL;
  ScnDecimal d;
  guint exp10;
  gboolean percent;
  double den = 1.0;

  g_return_val_if_fail (text != NULL && out_prob != NULL, FALSE);

  q = scn_quote (text, SCN_QUOTE_MAX_CHARS);
  switch (parse_decimal (text, &d))
    {
    case DECIMAL_OK:
      break;
    case DECIMAL_NEGATIVE:
      set_value_error (error, "a probability cannot be negative: '%s'", q);
      return FALSE;
    case DECIMAL_TOO_LARGE:
    case DECIMAL_TOO_PRECISE:
      set_value_error (error, "probability '%s' has too many digits", q);
      return FALSE;
    case DECIMAL_SYNTAX:
    default:
      set_value_error (error, "expected a probability such as 1%% or 0.01, "
                       "got '%s'", q);
      return FALSE;
    }
  percent = strcmp (d.unit, "%") == 0;
  if (!percent && *d.unit != '\0')
    {
      set_value_error (error, "expected a probability such as 1%% or 0.01, "
                       "got '%s'", q);
      return FALSE;
    }
  exp10 = d.frac_digits + (percent ? 2 : 0);
  if (exp10 > PROB_MAX_POW10 || d.mantissa > PROB_MAX_MANTISSA)
    {
      set_value_error (error, "probability '%s' has too many digits", q);
      return FALSE;
    }
  /* mantissa > 10^exp10 means above 1, compared exactly as integers;
   * 10^exp10 can exceed 64 bits, but then mantissa (< 2^53) is below it. */
  if (exp10 <= 19 && d.mantissa > pow10_u64 (exp10))
    {
      if (percent)
        set_value_error (error, "probability '%s' is above 100%%", q);
      else
        set_value_error (error, "probability '%s' is above 1 (write a "
                         "percentage as %s%%)", q, q);
      return FALSE;
    }
  for (guint i = 0; i < exp10; i++)
    den *= 10.0;
  *out_prob = (double) d.mantissa / den;
  return TRUE;
}

gboolean
scn_parse_count (const char *text, guint64 *out, GError **error)
{
  guint64 v = 0;
  const char *p = text;

  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  if (*p == '\0')
    goto syntax;
  for (; *p != '\0'; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        goto syntax;
      digit = (guint) (*p - '0');
      if (v > (G_MAXUINT64 - digit) / 10)
        {
          g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

          set_value_error (error, "number '%s' is too large", q);
          return FALSE;
        }
      v = v * 10 + digit;
    }
  *out = v;
  return TRUE;

syntax:
  {
    g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

    if (*text == '-')
      set_value_error (error, "expected a whole number, got '%s' "
                       "(negative numbers are not allowed)", q);
    else
      set_value_error (error, "expected a whole number, got '%s'", q);
    return FALSE;
  }
}

gboolean
scn_parse_bool (const char *text, gboolean *out, GError **error)
{
  static const char *const yes[] = { "on", "yes", "true" };
  static const char *const no[] = { "off", "no", "false" };

  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        {
          *out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        {
          *out = FALSE;
          return TRUE;
        }
    }
  {
    g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

    set_value_error (error, "expected on/off, yes/no or true/false, got "
                     "'%s'", q);
  }
  return FALSE;
}

gboolean
scn_parse_ipv4 (const char *text, guint32 *out_addr, GError **error)
{
  const char *p = text;
  guint32 addr = 0;

  g_return_val_if_fail (text != NULL && out_addr != NULL, FALSE);

  for (int i = 0; i < 4; i++)
    {
      guint value = 0;
      int digits = 0;

      while (g_ascii_isdigit (*p))
        {
          value = value * 10 + (guint) (*p - '0');
          if (++digits > 3)
            goto bad;
          p++;
        }
      if (digits == 0 || value > 255)
        goto bad;
      addr = (addr << 8) | value;
      if (i < 3)
        {
          if (*p != '.')
            goto bad;
          p++;
        }
    }
  if (*p != '\0')
    goto bad;
  *out_addr = addr;
  return TRUE;

bad:
  {
    g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

    set_value_error (error, "expected an IPv4 address such as 10.0.0.1, "
                     "got '%s'", q);
  }
  return FALSE;
}

gboolean
scn_parse_port (const char *text, guint16 *out_port, GError **error)
{
  guint64 v;

  g_return_val_if_fail (text != NULL && out_port != NULL, FALSE);

  if (!scn_parse_count (text, &v, NULL) || v < 1 || v > 65535)
    {
      g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

      set_value_error (error, "expected a port from 1 to 65535, got '%s'", q);
      return FALSE;
    }
  *out_port = (guint16) v;
  return TRUE;
}

gboolean
scn_is_name (const char *text)
{
  gsize n = 0;

  if (!(g_ascii_isalpha (*text) || *text == '_'))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++, n++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
      return FALSE;
  return n <= SCN_NAME_MAX_BYTES;
}

static void
format_exact (guint64 value, const ScnUnit *units, gsize n_units,
              char buf[SCN_FORMAT_BYTES])
{
  const ScnUnit *best = &units[0];

  for (gsize i = 0; i < n_units; i++)
    if (value % units[i].multiplier == 0
        && units[i].multiplier > best->multiplier)
      best = &units[i];
  if (value == 0)
    best = &units[0];
  g_snprintf (buf, SCN_FORMAT_BYTES, "%" G_GUINT64_FORMAT "%s",
              value / best->multiplier, best->name);
}

void
scn_format_size (guint64 bytes, char buf[SCN_FORMAT_BYTES])
{
  format_exact (bytes, size_units, G_N_ELEMENTS (size_units), buf);
}

void
scn_format_rate (guint64 bps, char buf[SCN_FORMAT_BYTES])
{
  format_exact (bps, rate_units, G_N_ELEMENTS (rate_units), buf);
}
