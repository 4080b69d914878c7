/* trace.h: the trace bus.
 *
 * Models emit records; tracers subscribe.  The bus attaches no meaning to
 * a record: a record names its kind through a static SimTraceKind that the
 * emitting model defines, whose to_json() writes the body's fields.
 * Tracers that need the fields themselves compare the kind pointer with
 * the model's public descriptor and read the body struct directly.
 *
 * Emitting with no subscriber must cost one predictable branch, so models
 * test sim_trace_on() before building a record.
 */
#pragma once

#include "sim/clock.h"

G_BEGIN_DECLS

typedef struct SimTraceKind SimTraceKind;
struct SimTraceKind {
  const char *name;                     /* "tcp.state", "link.drop", ... */
  /* Appends the body's fields as `,"key":value` pairs. */
  void (*to_json) (const void *body, GString *out);
};

typedef struct {
  SimTime at_ns;
  const SimTraceKind *kind;
  const void *body;                     /* valid only during delivery */
} SimTraceRecord;

typedef void (*SimTraceFn) (const SimTraceRecord *rec, void *data);

typedef struct {
  SimTraceFn fn;
  void *data;
} SimTraceSubscriber;

typedef struct {
  guint n_subscribers;                  /* read by sim_trace_on() */
  SimTraceSubscriber *subscribers;
} SimTraceBus;

void sim_trace_bus_init (SimTraceBus *bus);
void sim_trace_bus_clear (SimTraceBus *bus);

/* Adds a subscriber; records reach subscribers in subscription order. */
void sim_trace_subscribe (SimTraceBus *bus, SimTraceFn fn, void *data);

static inline gboolean
sim_trace_on (const SimTraceBus *bus)
{
  return G_UNLIKELY (bus->n_subscribers != 0);
}

void sim_trace_emit (SimTraceBus *bus, SimTime at_ns,
                     const SimTraceKind *kind, const void *body);

/* Appends the record as one JSON object, without a newline:
 * {"t_ns":123,"ev":"tcp.state",...}. */
void sim_trace_record_to_json (const SimTraceRecord *rec, GString *out);

/* JSON helpers for to_json() implementations. */
void sim_json_append_string (GString *out, const char *key, const char *value);
void sim_json_append_int (GString *out, const char *key, gint64 value);
void sim_json_append_uint (GString *out, const char *key, guint64 value);
void sim_json_append_bool (GString *out, const char *key, gboolean value);
/* Doubles printed with %.17g in the C locale; NaN and infinities as null. */
void sim_json_append_double (GString *out, const char *key, double value);
/* Appends @value as a JSON string literal (with quotes), escaped. */
void sim_json_append_escaped (GString *out, const char *value);

G_END_DECLS
