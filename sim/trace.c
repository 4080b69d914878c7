/* trace.c: subscriber list and the JSON helpers every record kind uses. */
#include "sim/trace.h"

#include <math.h>

void
sim_trace_bus_init (SimTraceBus *bus)
{
  bus->n_subscribers = 0;
  bus->subscribers = NULL;
}

void
sim_trace_bus_clear (SimTraceBus *bus)
{
  g_clear_pointer (&bus->subscribers, g_free);
  bus->n_subscribers = 0;
}

void
sim_trace_subscribe (SimTraceBus *bus, SimTraceFn fn, void *data)
{
  g_return_if_fail (fn != NULL);
  bus->subscribers = g_renew (SimTraceSubscriber, bus->subscribers,
                              bus->n_subscribers + 1);
  bus->subscribers[bus->n_subscribers].fn = fn;
  bus->subscribers[bus->n_subscribers].data = data;
  bus->n_subscribers++;
}

void
sim_trace_emit (SimTraceBus *bus, SimTime at_ns, const SimTraceKind *kind,
                const void *body)
{
  SimTraceRecord rec = { at_ns, kind, body };

  for (guint i = 0; i < bus->n_subscribers; i++)
    bus->subscribers[i].fn (&rec, bus->subscribers[i].data);
}

void
sim_trace_record_to_json (const SimTraceRecord *rec, GString *out)
{
  g_string_append_printf (out, "{\"t_ns\":%" G_GINT64_FORMAT ",\"ev\":",
                          rec->at_ns);
  sim_json_append_escaped (out, rec->kind->name);
  if (rec->kind->to_json != NULL)
    rec->kind->to_json (rec->body, out);
  g_string_append_c (out, '}');
}

void
sim_json_append_escaped (GString *out, const char *value)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

void
sim_json_append_string (GString *out, const char *key, const char *value)
{
  g_string_append_printf (out, ",\"%s\":", key);
  if (value == NULL)
    g_string_append (out, "null");
  else
    sim_json_append_escaped (out, value);
}

void
sim_json_append_int (GString *out, const char *key, gint64 value)
{
  g_string_append_printf (out, ",\"%s\":%" G_GINT64_FORMAT, key, value);
}

void
sim_json_append_uint (GString *out, const char *key, guint64 value)
{
  g_string_append_printf (out, ",\"%s\":%" G_GUINT64_FORMAT, key, value);
}

void
sim_json_append_bool (GString *out, const char *key, gboolean value)
{
  g_string_append_printf (out, ",\"%s\":%s", key, value ? "true" : "false");
}

void
sim_json_append_double (GString *out, const char *key, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append_printf (out, ",\"%s\":null", key);
      return;
    }
  g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append_printf (out, ",\"%s\":%s", key, buf);
}
