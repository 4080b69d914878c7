/* scn_values.c: one value's text -> a typed value.
 *
 * scn__parse_value() reads the text of a statement key through the
 * ScnKeyInfo that describes it: the "no limit" word first, then the
 * type's parser (scn_units.c for quantities; parse_flags() for TCP flags;
 * HOST:PORT; dotted quads), then the key's range (check_range()).
 * scn__parse_tcp_value() and scn__apply_tcp_set() do the same for the
 * TCP parameters, through the model's TcpParamInfo table.
 */
#include "scenarios/scn_private.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Typed values                                                        */

static void
format_quantity (ScnKeyType type, guint64 v, char buf[SCN_FORMAT_BYTES])
{
  switch (type)
    {
    case SCN_KEY_TIME:
      {
        char tbuf[SIM_TIME_FORMAT_BYTES];

        sim_time_format_short ((SimTime) v, tbuf);
        g_strlcpy (buf, tbuf, SCN_FORMAT_BYTES);
      }
      break;
    case SCN_KEY_RATE:
      scn_format_rate (v, buf);
      break;
    case SCN_KEY_SIZE:
      scn_format_size (v, buf);
      break;
    case SCN_KEY_COUNT:
    case SCN_KEY_PROB:
    case SCN_KEY_BOOL:
    case SCN_KEY_CHOICE:
    case SCN_KEY_HOST:
    case SCN_KEY_HOSTPORT:
    case SCN_KEY_ADDR:
    case SCN_KEY_FLAGS:
    case SCN_KEY_REAL:
    case SCN_KEY_SPAN:
    default:
      g_snprintf (buf, SCN_FORMAT_BYTES, "%" G_GUINT64_FORMAT, v);
      break;
    }
}

static gboolean
check_range (ScnKeyType type, guint64 v, guint64 min, guint64 max,
             GError **error)
{
  char vbuf[SCN_FORMAT_BYTES];
  char bbuf[SCN_FORMAT_BYTES];

  if (v >= min && v <= max)
    return TRUE;
  format_quantity (type, v, vbuf);
  format_quantity (type, v < min ? min : max, bbuf);
  g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE, "must be at %s %s, got %s",
               v < min ? "least" : "most", bbuf, vbuf);
  return FALSE;
}

gboolean
scn__parse_choice (const char *text, const char *const *choices,
                   guint64 *out, GError **error)
{
  g_autofree char *q = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *list = NULL;

  for (guint i = 0; choices[i] != NULL; i++)
    if (strcmp (text, choices[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  q = scn_quote (text, SCN_QUOTE_MAX_CHARS);
  hint = scn_hint (text, choices, -1);
  list = g_strjoinv (", ", (char **) choices);
  g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
               "expected one of %s, got '%s'%s", list, q, hint);
  return FALSE;
}

/* TCP flags as tcpdump prints them: "S", "S." or "SA", "P.", "F.", "R";
 * exact unless a trailing '+' asks for "at least these". */
static gboolean
parse_flags (const char *text, guint8 *mask, guint8 *value, GError **error)
{
  guint8 flags = 0;
  gboolean at_least = FALSE;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case 'F': flags |= TCP_FIN; break;
        case 'S': flags |= TCP_SYN; break;
        case 'R': flags |= TCP_RST; break;
        case 'P': flags |= TCP_PSH; break;
        case 'A':
        case '.': flags |= TCP_ACK; break;
        case 'U': flags |= TCP_URG; break;
        case 'E': flags |= TCP_ECE; break;
        case 'W': flags |= TCP_CWR; break;
        case '+':
          if (p[1] == '\0' && p != text)
            {
              at_least = TRUE;
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          {
            g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

            g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
                         "expected TCP flags as tcpdump writes them "
                         "(letters S A P F R U E W, '.' for A), "
                         "optionally ending in '+', got '%s'", q);
            return FALSE;
          }
        }
    }
  if (p == text)
    {
      g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
                   "expected TCP flags such as S, SA or PA, got nothing");
      return FALSE;
    }
  *mask = at_least ? flags : 0xff;
  *value = flags;
  return TRUE;
}

/* A plain decimal number such as "5" or "2.5": digits, at most one '.',
 * no sign, no unit.  The double is the correctly rounded quotient of two
 * exact integers (mantissa / 10^k, both below 2^53). */
static gboolean
parse_real (const char *text, double *out, GError **error)
{
  guint64 mantissa = 0;
  guint digits = 0;
  guint decimals = 0;
  gboolean dot = FALSE;
  double scale = 1.0;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '.' && !dot)
        {
          dot = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p) || digits >= 15)
        break;
      mantissa = mantissa * 10 + (guint64) (*p - '0');
      digits++;
      decimals += dot;
    }
  if (*p != '\0' || digits == 0)
    {
      g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

      g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
                   "expected a number such as 5 or 2.5 (at most 15 digits, "
                   "no sign, no unit), got '%s'", q);
      return FALSE;
    }
  for (guint i = 0; i < decimals; i++)
    scale *= 10.0;
  *out = (double) mantissa / scale;
  return TRUE;
}

/* "N" or "N..M": a span of packet numbers. */
static gboolean
parse_span (const ScnKeyInfo *info, const char *text, ScnValue *v,
            GError **error)
{
  const char *dots = strstr (text, "..");
  g_autofree char *first = NULL;

  v->u_last = 0;
  if (dots == NULL)
    return scn_parse_count (text, &v->u, error)
           && check_range (SCN_KEY_COUNT, v->u, info->min, info->max, error);
  first = g_strndup (text, (gsize) (dots - text));
  if (!scn_parse_count (first, &v->u, error)
      || !check_range (SCN_KEY_COUNT, v->u, info->min, info->max, error)
      || !scn_parse_count (dots + 2, &v->u_last, error))
    return FALSE;
  if (v->u_last < v->u)
    {
      g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
                   "the span %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
                   " ends before it starts", v->u, v->u_last);
      return FALSE;
    }
  return TRUE;
}

/* Parses @text for @info into @v (not touching v->given or v->loc). */
gboolean
scn__parse_value (const ScnKeyInfo *info, const char *text, ScnValue *v,
                  GError **error)
{
  v->unlimited = FALSE;
  if (info->unlimited != NULL && strcmp (text, info->unlimited) == 0)
    {
      v->unlimited = TRUE;
      v->u = 0;
      return TRUE;
    }
  switch (info->type)
    {
    case SCN_KEY_TIME:
      {
        SimTime t;

        if (!scn_parse_time (text, &t, error))
          return FALSE;
        v->u = (guint64) t;
        return check_range (info->type, v->u, info->min, info->max, error);
      }
    case SCN_KEY_RATE:
      return scn_parse_rate (text, &v->u, error)
             && check_range (info->type, v->u, info->min, info->max, error);
    case SCN_KEY_SIZE:
      return scn_parse_size (text, &v->u, error)
             && check_range (info->type, v->u, info->min, info->max, error);
    case SCN_KEY_COUNT:
      return scn_parse_count (text, &v->u, error)
             && check_range (info->type, v->u, info->min, info->max, error);
    case SCN_KEY_PROB:
      return scn_parse_prob (text, &v->prob, error);
    case SCN_KEY_BOOL:
      {
        gboolean b;

        if (!scn_parse_bool (text, &b, error))
          return FALSE;
        v->u = b ? 1 : 0;
        return TRUE;
      }
    case SCN_KEY_CHOICE:
      return scn__parse_choice (text, info->choices, &v->u, error);
    case SCN_KEY_HOST:
      v->host = text;
      return TRUE;
    case SCN_KEY_HOSTPORT:
      {
        const char *colon = strrchr (text, ':');
        g_autofree char *q = NULL;

        if (colon != NULL && colon != text
            && scn_parse_port (colon + 1, &v->port, error))
          {
            /* The host part is checked against the declared hosts later;
             * keep the text as a separate string the tree owns. */
            v->host = text;
            return TRUE;
          }
        g_clear_error (error);
        q = scn_quote (text, SCN_QUOTE_MAX_CHARS);
        g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
                     "expected HOST:PORT with a port from 1 to 65535, such "
                     "as server:8080, got '%s'", q);
        return FALSE;
      }
    case SCN_KEY_ADDR:
      {
        guint32 a;

        if (!scn_parse_ipv4 (text, &a, error))
          return FALSE;
        v->u = a;
        return TRUE;
      }
    case SCN_KEY_FLAGS:
      return parse_flags (text, &v->flags_mask, &v->flags_value, error);
    case SCN_KEY_REAL:
      return parse_real (text, &v->prob, error);
    case SCN_KEY_SPAN:
      return parse_span (info, text, v, error);
    default:
      g_assert_not_reached ();
    }
}

/* The host name part of a SCN_KEY_HOSTPORT value (which is "host:port"). */
char *
scn__hostport_host (const ScnValue *v)
{
  const char *colon = strrchr (v->host, ':');

  return g_strndup (v->host, colon != NULL ? (gsize) (colon - v->host)
                                            : strlen (v->host));
}

/* ------------------------------------------------------------------ */
/* TCP parameters                                                      */

gboolean
scn__parse_tcp_value (const TcpParamInfo *info, const char *text,
                      ScnTcpSet *set, GError **error)
{
  set->info = info;
  set->isn_random = FALSE;
  switch (info->type)
    {
    case TCP_PARAM_BYTES:
      return scn_parse_size (text, &set->u, error)
             && check_range (SCN_KEY_SIZE, set->u, info->min, info->max, error);
    case TCP_PARAM_TIME:
      if (strcmp (text, "off") == 0)
        set->u = 0;
      else
        {
          SimTime t;

          if (!scn_parse_time (text, &t, error))
            return FALSE;
          set->u = (guint64) t;
        }
      if (set->u == 0 && info->min > 0)
        {
          char buf[SCN_FORMAT_BYTES];

          format_quantity (SCN_KEY_TIME, info->min, buf);
          g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
                       "cannot be off or 0: must be at least %s", buf);
          return FALSE;
        }
      return check_range (SCN_KEY_TIME, set->u, info->min, info->max, error);
    case TCP_PARAM_BOOL:
      {
        gboolean b;

        if (!scn_parse_bool (text, &b, error))
          return FALSE;
        set->u = b ? 1 : 0;
        return TRUE;
      }
    case TCP_PARAM_COUNT:
      return scn_parse_count (text, &set->u, error)
             && check_range (SCN_KEY_COUNT, set->u, info->min, info->max,
                             error);
    case TCP_PARAM_CHOICE:
      return scn__parse_choice (text, info->choices, &set->u, error);
    case TCP_PARAM_ISN:
      if (strcmp (text, "random") == 0)
        {
          set->isn_random = TRUE;
          set->u = 0;
          return TRUE;
        }
      if (!scn_parse_count (text, &set->u, NULL))
        {
          g_autofree char *q = scn_quote (text, SCN_QUOTE_MAX_CHARS);

          g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE,
                       "expected 'random' or a number from 0 to %"
                       G_GUINT64_FORMAT ", got '%s'", info->max, q);
          return FALSE;
        }
      return check_range (SCN_KEY_COUNT, set->u, info->min, info->max, error);
    default:
      g_assert_not_reached ();
    }
}

void
scn__apply_tcp_set (TcpParams *params, const ScnTcpSet *set)
{
  char *field = (char *) params + set->info->offset;

  switch (set->info->type)
    {
    case TCP_PARAM_BYTES:
    case TCP_PARAM_COUNT:
    case TCP_PARAM_CHOICE:
      memcpy (field, &set->u, sizeof (guint64));
      break;
    case TCP_PARAM_TIME:
      {
        SimTime t = (SimTime) set->u;

        memcpy (field, &t, sizeof t);
      }
      break;
    case TCP_PARAM_BOOL:
      {
        gboolean b = set->u != 0;

        memcpy (field, &b, sizeof b);
      }
      break;
    case TCP_PARAM_ISN:
      /* Two fields, so by name rather than through the offset. */
      params->isn_mode = set->isn_random ? TCP_ISN_RANDOM : TCP_ISN_FIXED;
      params->isn = set->u;
      break;
    default:
      g_assert_not_reached ();
    }
}

void
scn__tcp_keys_init (ScnTcpKeys *keys)
{
  keys->profile = NULL;
  keys->sets = g_array_new (FALSE, TRUE, sizeof (ScnTcpSet));
}

void
scn__tcp_keys_clear (ScnTcpKeys *keys)
{
  g_clear_pointer (&keys->sets, g_array_unref);
}

void
scn__add_tcp_candidates (GPtrArray *out, const char *prefix)
{
  guint n;
  const TcpParamInfo *table = tcp_param_table (&n);

  g_ptr_array_add (out, g_strconcat (prefix, "profile", NULL));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_strconcat (prefix, table[i].name, NULL));
}

gboolean
scn__is_tcp_key (const char *param)
{
  return strcmp (param, "profile") == 0 || tcp_param_lookup (param) != NULL;
}

