/* seqdiag_mermaid.c: renders a SeqDiag as a Mermaid sequenceDiagram.
 *
 * The client is participant C and the server S, each shown with its host
 * name and addr:port.  Segments are messages in the order they were sent
 * (`C->>S: SYN seq=0 win=65535 mss=1460`), numbered by autonumber as the
 * tutorial numbers its steps; a lost segment ends in a cross (`-x`) with
 * the reason, one still in flight at the end of the run is an open arrow
 * (`-)`).  State changes are notes beside their end's lifeline.  Mermaid
 * draws messages horizontally, so each one's send and arrival times are
 * kept in a `%%` comment above it.
 *
 * seqdiag_mermaid_render() -> plan the elision -> participants and
 * initial states -> one line per visible event, one note for the elided
 * stretch.
 */
#include "plots/seqdiag_mermaid.h"

#include "plots/seqdiag_elide.h"
#include "plots/seqdiag_text.h"

static const char *const side_ids[SEQDIAG_N_SIDES] = { "C", "S" };

/* Mermaid ends a message at a newline and gives ';' and '#' a meaning
 * (statement separator, entity code); entity codes write both safely. */
static void
append_escaped (GString *s, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ';')
        g_string_append (s, "#59;");
      else if (*p == '#')
        g_string_append (s, "#35;");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (s, ' ');
      else
        g_string_append_c (s, *p);
    }
}

static void
append_participant (GString *s, SeqDiagSide side, const SeqDiagEnd *end)
{
  char addr[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (end->addr, addr);
  g_string_append_printf (s, "    participant %s as ", side_ids[side]);
  append_escaped (s, end->host);
  g_string_append_printf (s, " %s:%u\n", addr, end->port);
}

/* Client notes go left of its lifeline and server notes right of its
 * own, as the terminal and SVG diagrams place them. */
static void
append_state_note (GString *s, SeqDiagSide side, const char *state)
{
  if (state == NULL)
    return;
  g_string_append_printf (s, "    Note %s of %s: ",
                          side == SEQDIAG_CLIENT ? "left" : "right",
                          side_ids[side]);
  append_escaped (s, state);
  g_string_append_c (s, '\n');
}

static void
append_segment (GString *s, SimTime at_ns, const SeqDiagSegment *seg)
{
  g_autofree char *label = seqdiag_text_segment_label (seg);
  char sent[SEQDIAG_TIME_STR_BYTES];
  char end[SEQDIAG_TIME_STR_BYTES];
  const char *arrow;

  seqdiag_format_time (at_ns, sent);
  switch (seg->fate)
    {
    case SEQDIAG_FATE_ARRIVED:
      seqdiag_format_time (seg->end_ns, end);
      g_string_append_printf (s, "    %%%% sent %s s, arrived %s s\n", sent,
                              end);
      arrow = "->>";
      break;
    case SEQDIAG_FATE_DROPPED:
      seqdiag_format_time (seg->end_ns, end);
      g_string_append_printf (s, "    %%%% sent %s s, lost %s s\n", sent,
                              end);
      arrow = "-x";
      break;
    case SEQDIAG_FATE_IN_FLIGHT:
      g_string_append_printf (s, "    %%%% sent %s s, still in flight\n",
                              sent);
      arrow = "-)";
      break;
    default:
      g_assert_not_reached ();
    }
  g_string_append_printf (s, "    %s%s%s: ", side_ids[seg->from], arrow,
                          side_ids[seg->from == SEQDIAG_CLIENT
                                     ? SEQDIAG_SERVER : SEQDIAG_CLIENT]);
  append_escaped (s, label);
  if (seg->fate == SEQDIAG_FATE_DROPPED)
    {
      g_string_append (s, " (lost");
      if (seg->drop_reason != NULL)
        {
          g_string_append (s, ": ");
          append_escaped (s, seg->drop_reason);
        }
      g_string_append_c (s, ')');
    }
  g_string_append_c (s, '\n');
}

char *
seqdiag_mermaid_render (const SeqDiag *diag, guint max_segments)
{
  const SeqDiagEnd *client;
  const SeqDiagEnd *server;
  const char *current[SEQDIAG_N_SIDES];
  SeqDiagElision plan;
  GString *s;

  g_return_val_if_fail (diag != NULL, NULL);

  client = seqdiag_end (diag, SEQDIAG_CLIENT);
  server = seqdiag_end (diag, SEQDIAG_SERVER);
  if (client == NULL || server == NULL || seqdiag_n_segments (diag) == 0)
    return g_strdup ("");

  seqdiag_elide_plan (diag, max_segments, &plan);
  s = g_string_new ("sequenceDiagram\n");
  g_string_append (s, "    %% tcpsim: seq and ack relative to each end's "
                   "initial sequence number; times in seconds\n");
  g_string_append (s, "    autonumber\n");
  append_participant (s, SEQDIAG_CLIENT, client);
  append_participant (s, SEQDIAG_SERVER, server);
  current[SEQDIAG_CLIENT] = client->initial_state;
  current[SEQDIAG_SERVER] = server->initial_state;
  append_state_note (s, SEQDIAG_CLIENT, current[SEQDIAG_CLIENT]);
  append_state_note (s, SEQDIAG_SERVER, current[SEQDIAG_SERVER]);

  for (guint i = 0; i < plan.n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (diag, i);

      if (ev->kind == SEQDIAG_EVENT_STATE)
        current[ev->state.side] = ev->state.to;
      if (seqdiag_elide_hides (&plan, i))
        {
          if (i != plan.hide_last)
            continue;
          g_string_append_printf (s, "    Note over C,S: … %u segment%s …\n",
                                  plan.n_hidden_segments,
                                  plan.n_hidden_segments == 1 ? "" : "s");
          /* autonumber counted none of the hidden messages: restart it
           * at the number of the next one, so numbers stay the
           * segments' own. */
          g_string_append_printf (s, "    autonumber %u\n",
                                  (max_segments + 1) / 2
                                    + plan.n_hidden_segments + 1);
          if (plan.n_hidden_states > 0)
            {
              append_state_note (s, SEQDIAG_CLIENT, current[SEQDIAG_CLIENT]);
              append_state_note (s, SEQDIAG_SERVER, current[SEQDIAG_SERVER]);
            }
          continue;
        }
      if (ev->kind == SEQDIAG_EVENT_STATE)
        append_state_note (s, ev->state.side, ev->state.to);
      else
        append_segment (s, ev->at_ns, &ev->seg);
    }
  return g_string_free (s, FALSE);
}
