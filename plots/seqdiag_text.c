/* seqdiag_text.c: renders a SeqDiag as a terminal sequence diagram.
 *
 * Two lifelines, client left and server right, headed by host name,
 * address:port and initial state.  Each segment takes two rows: its send
 * time and label, then its arrow, with the arrival time in the right
 * margin; a lost segment's arrow stops half-way at a cross.  A state
 * change takes one row, its name written on its end's lifeline.
 *
 * seqdiag_text_render() -> plan the visible events (elision) -> measure
 * (column widths from everything visible) -> draw rows into a cell grid
 * -> UTF-8.  Everything is measured in terminal cells, one per character.
 */
#include "plots/seqdiag_text.h"

#include <string.h>

#include "models/tcp/tcp.h"
#include "plots/segment.h"

typedef struct {
  gunichar life;
  gunichar life_elided;
  gunichar start_right;         /* sender's end of a left-to-right arrow */
  gunichar start_left;          /* sender's end of a right-to-left arrow */
  gunichar line;
  gunichar head_right;
  gunichar head_left;
  gunichar cross;
  const char *ellipsis;
} Glyphs;

static const Glyphs unicode_glyphs = {
  0x2502,                       /* │ */
  0x2506,                       /* ┆ */
  0x251c,                       /* ├ */
  0x2524,                       /* ┤ */
  0x2500,                       /* ─ */
  0x25b6,                       /* ▶ */
  0x25c0,                       /* ◀ */
  0x2715,                       /* ✕ */
  "\xe2\x80\xa6",               /* … */
};

static const Glyphs ascii_glyphs = {
  '|', ':', '|', '|', '-', '>', '<', 'X', "...",
};

/* Narrower lifelines than this make short exchanges look cramped. */
#define MIN_GAP_CELLS 36u
/* Space between the time column and the client lifeline, and between the
 * server lifeline and the arrival column. */
#define MARGIN_CELLS 3u

static const char time_header[] = "time (s)";
static const char arrival_header[] = "arrival (s)";
static const char in_flight_text[] = "(in flight)";

typedef struct {
  const Glyphs *g;
  guint time_cells;             /* width of the time column */
  guint x_client;               /* column of the client lifeline */
  guint x_server;               /* column of the server lifeline */
  guint gap_cells;              /* cells strictly between the lifelines */
  GArray *row;                  /* gunichar cells of the row being drawn;
                                 * 0 is blank */
  GString *out;
} Canvas;

static guint
text_cells (const char *utf8)
{
  return (guint) g_utf8_strlen (utf8, -1);
}

static void
put_cell (Canvas *c, guint col, gunichar ch)
{
  if (col >= c->row->len)
    g_array_set_size (c->row, col + 1);
  g_array_index (c->row, gunichar, col) = ch;
}

static void
put_text (Canvas *c, guint col, const char *utf8)
{
  for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char (p))
    put_cell (c, col++, g_utf8_get_char (p));
}

/* Right-aligns @utf8 so that its last cell is at @last_col. */
static void
put_text_ending_at (Canvas *c, guint last_col, const char *utf8)
{
  put_text (c, last_col + 1 - text_cells (utf8), utf8);
}

static void
put_time (Canvas *c, SimTime t_ns)
{
  char buf[SEQDIAG_TIME_STR_BYTES];

  seqdiag_format_time (t_ns, buf);
  put_text_ending_at (c, c->time_cells - 1, buf);
}

/* Appends the row without trailing blanks and starts a new one. */
static void
flush_row (Canvas *c)
{
  guint len = c->row->len;

  while (len > 0 && (g_array_index (c->row, gunichar, len - 1) == 0
                     || g_array_index (c->row, gunichar, len - 1) == ' '))
    len--;
  for (guint i = 0; i < len; i++)
    {
      gunichar ch = g_array_index (c->row, gunichar, i);

      g_string_append_unichar (c->out, ch == 0 ? ' ' : ch);
    }
  g_string_append_c (c->out, '\n');
  g_array_set_size (c->row, 0);
}

char *
seqdiag_text_segment_label (const SeqDiagSegment *seg)
{
  char flags[PLOTS_FLAGS_STR_BYTES];
  GString *s;

  g_return_val_if_fail (seg != NULL, NULL);

  s = g_string_new (NULL);
  plots_flags_format (seg->flags, flags);
  g_string_append_printf (s, "%s seq=%u", flags, seg->rel_seq);
  if (seg->flags & TCP_ACK)
    g_string_append_printf (s, " ack=%u", seg->rel_ack);
  if (seg->len_bytes > 0)
    g_string_append_printf (s, " len=%u", seg->len_bytes);
  g_string_append_printf (s, " win=%" G_GUINT64_FORMAT, seg->win_bytes);
  if (seg->mss_bytes > 0)
    g_string_append_printf (s, " mss=%u", seg->mss_bytes);
  if (seg->wscale >= 0)
    g_string_append_printf (s, " wscale=%d", seg->wscale);
  if (seg->sack_perm)
    g_string_append (s, " sack_perm");
  if (seg->timestamps)
    g_string_append (s, " ts");
  if (seg->retransmit)
    g_string_append (s, " (rexmit)");
  return g_string_free (s, FALSE);
}

static char *
lost_text (const SeqDiagSegment *seg)
{
  if (seg->drop_reason == NULL)
    return g_strdup ("lost");
  return g_strdup_printf ("lost (%s)", seg->drop_reason);
}

/* Which events are drawn.  With more segments than the limit, the first
 * half of the limit and the last part are drawn, and everything from the
 * first hidden segment to the last hidden one becomes one elision row. */
typedef struct {
  guint n_events;
  guint hide_first;             /* first hidden event index */
  guint hide_last;              /* last hidden event index */
  guint n_hidden_segments;      /* 0: nothing hidden */
  guint n_hidden_states;
} Plan;

static void
plan_elision (const SeqDiag *diag, guint max_segments, Plan *plan)
{
  guint n_segments = seqdiag_n_segments (diag);
  guint head;
  guint tail;
  guint ordinal = 0;

  memset (plan, 0, sizeof *plan);
  plan->n_events = seqdiag_n_events (diag);
  if (max_segments == 0 || n_segments <= max_segments)
    return;
  head = (max_segments + 1) / 2;
  tail = max_segments / 2;
  plan->n_hidden_segments = n_segments - head - tail;
  for (guint i = 0; i < plan->n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (diag, i);

      if (ev->kind != SEQDIAG_EVENT_SEGMENT)
        continue;
      if (ordinal == head)
        plan->hide_first = i;
      if (ordinal == n_segments - tail - 1)
        plan->hide_last = i;
      ordinal++;
    }
  for (guint i = plan->hide_first; i <= plan->hide_last; i++)
    if (seqdiag_event (diag, i)->kind == SEQDIAG_EVENT_STATE)
      plan->n_hidden_states++;
}

static gboolean
plan_hides (const Plan *plan, guint index)
{
  return plan->n_hidden_segments > 0 && index >= plan->hide_first
         && index <= plan->hide_last;
}

static char *
elision_text (const Glyphs *g, const Plan *plan)
{
  return g_strdup_printf ("%s %u segment%s %s", g->ellipsis,
                          plan->n_hidden_segments,
                          plan->n_hidden_segments == 1 ? "" : "s",
                          g->ellipsis);
}

static char *
end_label (const SeqDiagEnd *end)
{
  char addr[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (end->addr, addr);
  return g_strdup_printf ("%s:%u", addr, end->port);
}

static const char *
state_or_empty (const char *state)
{
  return state != NULL ? state : "";
}

/* Widens the gap so that @left_cells at the client lifeline and
 * @right_cells ending at the server lifeline keep two blanks apart. */
static void
fit_pair (guint *gap_cells, guint left_cells, guint right_cells)
{
  *gap_cells = MAX (*gap_cells, left_cells + right_cells);
}

static void
measure (Canvas *c, const SeqDiag *diag, const Plan *plan,
         const SeqDiagEnd *client, const SeqDiagEnd *server)
{
  g_autofree char *client_label = end_label (client);
  g_autofree char *server_label = end_label (server);
  const char *current[SEQDIAG_N_SIDES] = {
    client->initial_state, server->initial_state,
  };
  guint gap = MIN_GAP_CELLS;
  guint time_cells = text_cells (time_header);

  fit_pair (&gap, text_cells (client->host), text_cells (server->host));
  fit_pair (&gap, text_cells (client_label), text_cells (server_label));
  fit_pair (&gap, text_cells (state_or_empty (current[SEQDIAG_CLIENT])),
            text_cells (state_or_empty (current[SEQDIAG_SERVER])));

  for (guint i = 0; i < plan->n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (diag, i);
      char buf[SEQDIAG_TIME_STR_BYTES];

      if (ev->kind == SEQDIAG_EVENT_STATE)
        current[ev->state.side] = ev->state.to;
      if (plan_hides (plan, i))
        {
          if (i == plan->hide_last && plan->n_hidden_states > 0)
            fit_pair (&gap,
                      text_cells (state_or_empty (current[SEQDIAG_CLIENT])),
                      text_cells (state_or_empty (current[SEQDIAG_SERVER])));
          continue;
        }
      seqdiag_format_time (ev->at_ns, buf);
      time_cells = MAX (time_cells, text_cells (buf));
      if (ev->kind == SEQDIAG_EVENT_STATE)
        {
          /* One blank between the name and the other lifeline. */
          gap = MAX (gap, text_cells (ev->state.to) + 1);
        }
      else
        {
          g_autofree char *label = seqdiag_text_segment_label (&ev->seg);

          gap = MAX (gap, text_cells (label) + 4);
          if (ev->seg.fate == SEQDIAG_FATE_DROPPED)
            {
              g_autofree char *lost = lost_text (&ev->seg);

              /* The cross sits mid-way; its text must fit on one half. */
              gap = MAX (gap, 2 * (text_cells (lost) + 3) + 1);
            }
        }
    }
  if (plan->n_hidden_segments > 0)
    {
      g_autofree char *text = elision_text (c->g, plan);

      gap = MAX (gap, text_cells (text) + 4);
    }

  c->time_cells = time_cells;
  c->gap_cells = gap;
  c->x_client = time_cells + MARGIN_CELLS;
  c->x_server = c->x_client + gap + 1;
}

static void
put_lifelines (Canvas *c, gunichar life)
{
  put_cell (c, c->x_client, life);
  put_cell (c, c->x_server, life);
}

/* A row with each end's state on its lifeline (or the lifeline itself). */
static void
draw_state_pair (Canvas *c, const char *client_state,
                 const char *server_state)
{
  put_lifelines (c, c->g->life);
  if (client_state != NULL)
    put_text (c, c->x_client, client_state);
  if (server_state != NULL)
    put_text_ending_at (c, c->x_server, server_state);
  flush_row (c);
}

static void
draw_header (Canvas *c, const SeqDiagEnd *client, const SeqDiagEnd *server)
{
  g_autofree char *client_label = end_label (client);
  g_autofree char *server_label = end_label (server);

  put_text_ending_at (c, c->time_cells - 1, time_header);
  put_text (c, c->x_client, client->host);
  put_text_ending_at (c, c->x_server, server->host);
  put_text (c, c->x_server + MARGIN_CELLS, arrival_header);
  flush_row (c);
  put_text (c, c->x_client, client_label);
  put_text_ending_at (c, c->x_server, server_label);
  flush_row (c);
  draw_state_pair (c, client->initial_state, server->initial_state);
}

static void
draw_state (Canvas *c, SimTime at_ns, const SeqDiagState *state)
{
  put_time (c, at_ns);
  draw_state_pair (c, state->side == SEQDIAG_CLIENT ? state->to : NULL,
                   state->side == SEQDIAG_SERVER ? state->to : NULL);
}

static void
draw_arrow (Canvas *c, const SeqDiagSegment *seg)
{
  const Glyphs *g = c->g;
  gboolean rightward = seg->from == SEQDIAG_CLIENT;
  guint mid = c->x_client + 1 + c->gap_cells / 2;

  put_lifelines (c, g->life);
  if (seg->fate == SEQDIAG_FATE_DROPPED)
    {
      g_autofree char *lost = lost_text (seg);

      put_cell (c, mid, g->cross);
      if (rightward)
        {
          put_cell (c, c->x_client, g->start_right);
          for (guint x = c->x_client + 1; x < mid; x++)
            put_cell (c, x, g->line);
          put_text (c, mid + 2, lost);
        }
      else
        {
          put_cell (c, c->x_server, g->start_left);
          for (guint x = mid + 1; x < c->x_server; x++)
            put_cell (c, x, g->line);
          put_text_ending_at (c, mid - 2, lost);
        }
    }
  else
    {
      for (guint x = c->x_client + 1; x < c->x_server; x++)
        put_cell (c, x, g->line);
      if (rightward)
        {
          put_cell (c, c->x_client, g->start_right);
          put_cell (c, c->x_server - 1, g->head_right);
        }
      else
        {
          put_cell (c, c->x_client + 1, g->head_left);
          put_cell (c, c->x_server, g->start_left);
        }
      if (seg->fate == SEQDIAG_FATE_ARRIVED)
        {
          char buf[SEQDIAG_TIME_STR_BYTES];

          seqdiag_format_time (seg->end_ns, buf);
          put_text (c, c->x_server + MARGIN_CELLS, buf);
        }
      else
        {
          put_text (c, c->x_server + MARGIN_CELLS, in_flight_text);
        }
    }
  flush_row (c);
}

static void
draw_segment (Canvas *c, SimTime sent_ns, const SeqDiagSegment *seg)
{
  g_autofree char *label = seqdiag_text_segment_label (seg);
  guint label_cells = text_cells (label);

  put_time (c, sent_ns);
  put_lifelines (c, c->g->life);
  put_text (c, c->x_client + 1 + (c->gap_cells - label_cells) / 2, label);
  flush_row (c);
  draw_arrow (c, seg);
}

static void
draw_elision (Canvas *c, const Plan *plan, const char *client_state,
              const char *server_state)
{
  g_autofree char *text = elision_text (c->g, plan);

  put_lifelines (c, c->g->life_elided);
  put_text (c, c->x_client + 1 + (c->gap_cells - text_cells (text)) / 2,
            text);
  flush_row (c);
  /* States changed out of sight: say where each end now stands. */
  if (plan->n_hidden_states > 0)
    draw_state_pair (c, client_state, server_state);
}

char *
seqdiag_text_render (const SeqDiag *diag, const SeqDiagTextOptions *options)
{
  const SeqDiagEnd *client;
  const SeqDiagEnd *server;
  const char *current[SEQDIAG_N_SIDES];
  Canvas c = { 0 };
  Plan plan;

  g_return_val_if_fail (diag != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  client = seqdiag_end (diag, SEQDIAG_CLIENT);
  server = seqdiag_end (diag, SEQDIAG_SERVER);
  if (client == NULL || server == NULL || seqdiag_n_segments (diag) == 0)
    return g_strdup ("");

  c.g = options->ascii ? &ascii_glyphs : &unicode_glyphs;
  c.row = g_array_new (FALSE, TRUE, sizeof (gunichar));
  c.out = g_string_new (NULL);
  plan_elision (diag, options->max_segments, &plan);
  measure (&c, diag, &plan, client, server);

  draw_header (&c, client, server);
  current[SEQDIAG_CLIENT] = client->initial_state;
  current[SEQDIAG_SERVER] = server->initial_state;
  for (guint i = 0; i < plan.n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (diag, i);

      if (ev->kind == SEQDIAG_EVENT_STATE)
        current[ev->state.side] = ev->state.to;
      if (plan_hides (&plan, i))
        {
          if (i == plan.hide_last)
            draw_elision (&c, &plan, current[SEQDIAG_CLIENT],
                          current[SEQDIAG_SERVER]);
          continue;
        }
      if (ev->kind == SEQDIAG_EVENT_STATE)
        draw_state (&c, ev->at_ns, &ev->state);
      else
        draw_segment (&c, ev->at_ns, &ev->seg);
    }

  g_array_unref (c.row);
  return g_string_free (c.out, FALSE);
}
