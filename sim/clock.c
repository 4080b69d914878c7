/* clock.c: exact conversion between SimTime and text.
 *
 * sim_time_parse() accumulates the integer and fraction digits as
 * integers and scales them by the unit's power of ten, so "0.1s" is
 * exactly 100000000 ns, as it would not be through strtod().
 */
#include "sim/clock.h"

#include <string.h>

G_DEFINE_QUARK (sim-clock-error-quark, sim_clock_error)

typedef struct {
  const char *name;
  gint64 ns_per_unit;
} TimeUnit;

static const TimeUnit time_units[] = {
  { "ns", 1 },
  { "us", 1000 },
  { "ms", 1000000 },
  { "s", 1000000000 },
  { "min", G_GINT64_CONSTANT (60000000000) },
  { "h", G_GINT64_CONSTANT (3600000000000) },
};

gboolean
sim_time_parse (const char *text, SimTime *out_ns, GError **error)
{
  const char *p = text;
  guint64 int_part = 0;
  guint64 frac_digits_value = 0;
  guint frac_digits = 0;
  gboolean any_digit = FALSE;
  const TimeUnit *unit = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_ns != NULL, FALSE);

  while (*p == ' ')
    p++;
  if (*p == '-')
    {
      g_set_error (error, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_RANGE,
                   "a duration cannot be negative: '%s'", text);
      return FALSE;
    }
  while (g_ascii_isdigit (*p))
    {
      if (int_part > G_MAXINT64 / 10)
        goto overflow;
      int_part = int_part * 10 + (guint64) (*p - '0');
      any_digit = TRUE;
      p++;
    }
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        {
          /* More than 18 fraction digits can only be zeros that add no
           * precision, or digits finer than a nanosecond for every unit. */
          if (frac_digits >= 18)
            {
              if (*p != '0')
                goto too_fine;
            }
          else
            {
              frac_digits_value = frac_digits_value * 10 + (guint64) (*p - '0');
              frac_digits++;
            }
          any_digit = TRUE;
          p++;
        }
    }
  if (!any_digit)
    {
      g_set_error (error, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_SYNTAX,
                   "expected a duration such as 10ms, got '%s'", text);
      return FALSE;
    }
  while (*p == ' ')
    p++;
  for (gsize i = 0; i < G_N_ELEMENTS (time_units); i++)
    if (strcmp (p, time_units[i].name) == 0)
      unit = &time_units[i];
  if (unit == NULL)
    {
      if (*p == '\0')
        g_set_error (error, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_UNIT,
                     "duration '%s' needs a unit (ns, us, ms, s, min or h)",
                     text);
      else
        g_set_error (error, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_UNIT,
                     "unknown time unit '%s' in '%s' "
                     "(expected ns, us, ms, s, min or h)", p, text);
      return FALSE;
    }

  {
    guint64 per_unit = (guint64) unit->ns_per_unit;
    guint64 whole_ns;
    guint64 frac_ns = 0;
    guint64 scale = 1;

    if (int_part != 0 && per_unit > (guint64) G_MAXINT64 / int_part)
      goto overflow;
    whole_ns = int_part * per_unit;
    for (guint i = 0; i < frac_digits; i++)
      scale *= 10;
    /* frac_digits_value / scale of a unit: exact only when the product is
     * a whole number of nanoseconds.  per_unit <= 3.6e12 and the value has
     * at most 18 digits, so split the product to stay inside 64 bits. */
    if (frac_digits > 0)
      {
        guint64 g = per_unit;
        guint64 s = scale;
        guint64 a = g;
        guint64 b = s;

        /* Cancel every common factor, not only tens: 5e-11 min is exactly
         * 3 ns although 6e10 holds fewer tens than 1e11.  With g and s
         * coprime the result is whole exactly when s divides the value. */
        while (b != 0)
          {
            guint64 r = a % b;

            a = b;
            b = r;
          }
        g /= a;
        s /= a;
        if (frac_digits_value % s != 0)
          goto too_fine;
        frac_ns = (frac_digits_value / s) * g;
      }
    if (whole_ns > (guint64) G_MAXINT64 - frac_ns)
      goto overflow;
    *out_ns = (SimTime) (whole_ns + frac_ns);
    return TRUE;
  }

overflow:
  g_set_error (error, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_RANGE,
               "duration '%s' is too large", text);
  return FALSE;
too_fine:
  g_set_error (error, SIM_CLOCK_ERROR, SIM_CLOCK_ERROR_PRECISION,
               "duration '%s' is finer than one nanosecond", text);
  return FALSE;
}

void
sim_time_format_buf (SimTime t_ns, char buf[SIM_TIME_FORMAT_BYTES])
{
  const char *sign = "";
  guint64 abs_ns;

  if (t_ns < 0)
    {
      sign = "-";
      abs_ns = (guint64) (-(t_ns + 1)) + 1;
    }
  else
    abs_ns = (guint64) t_ns;
  g_snprintf (buf, SIM_TIME_FORMAT_BYTES, "%s%" G_GUINT64_FORMAT ".%09"
              G_GUINT64_FORMAT, sign, abs_ns / 1000000000u,
              abs_ns % 1000000000u);
}

char *
sim_time_format (SimTime t_ns)
{
  char buf[SIM_TIME_FORMAT_BYTES];

  sim_time_format_buf (t_ns, buf);
  return g_strdup (buf);
}

void
sim_time_format_short (SimTime t_ns, char buf[SIM_TIME_FORMAT_BYTES])
{
  static const struct { const char *name; gint64 ns; } units[] = {
    { "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 },
  };

  if (t_ns < 0)
    {
      g_snprintf (buf, SIM_TIME_FORMAT_BYTES, "%" G_GINT64_FORMAT "ns", t_ns);
      return;
    }
  /* Zero has no largest exact unit; print it as documented. */
  if (t_ns == 0)
    {
      g_strlcpy (buf, "0s", SIM_TIME_FORMAT_BYTES);
      return;
    }
  /* The largest unit in which the value has at most three decimals, so
   * 1.5 s prints as "1.5s" rather than "1500ms". */
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      gint64 whole = t_ns / units[i].ns;
      gint64 rest = t_ns % units[i].ns;
      gint64 milli = units[i].ns / 1000;
      char frac[8];
      int len = 3;

      if (whole == 0 || rest % milli != 0)
        continue;
      if (rest == 0)
        {
          g_snprintf (buf, SIM_TIME_FORMAT_BYTES, "%" G_GINT64_FORMAT "%s",
                      whole, units[i].name);
          return;
        }
      g_snprintf (frac, sizeof frac, "%03" G_GINT64_FORMAT, rest / milli);
      while (len > 0 && frac[len - 1] == '0')
        frac[--len] = '\0';
      g_snprintf (buf, SIM_TIME_FORMAT_BYTES, "%" G_GINT64_FORMAT ".%s%s",
                  whole, frac, units[i].name);
      return;
    }
  g_snprintf (buf, SIM_TIME_FORMAT_BYTES, "%" G_GINT64_FORMAT "ns", t_ns);
}
