/* seqdiag_svg.c: renders a SeqDiag as an SVG textbook figure.
 *
 * Two lifelines, client left and server right, under boxes naming each
 * host and its addr:port.  Time runs down: a segment is an arrow from its
 * send time on one lifeline to its arrival time on the other, labelled as
 * in the terminal diagram along its slope; a lost segment stops half-way
 * at a red cross with the reason; a state change is a dot on its lifeline
 * with the state's name outside it.  Each side has a time axis whose
 * ticks give the exact times of that lifeline's events.
 *
 * seqdiag_svg_render() -> plan the elision -> collect items (sends,
 * arrivals, drop points, state changes, the elision band) -> sort them by
 * time -> lay them out top to bottom (layout_items) -> measure the
 * columns -> draw.
 *
 * The vertical scale is the time, but not linearly all the way: a gap
 * much longer than a typical one-way delay is shortened and marked with
 * a break, and rows are pushed apart wherever two texts in one column
 * would overlap.  The tick labels always give the true times.  Every
 * coordinate is computed from the model alone (integers where possible,
 * and IEEE-exact sqrt and division elsewhere), so the output is the same
 * on every machine.
 */
#include "plots/seqdiag_svg.h"

#include <math.h>
#include <string.h>

#include "plots/seqdiag_elide.h"
#include "plots/seqdiag_text.h"

/* Sizes in pixels.  Text is monospace so that its width is known without
 * a font engine: DejaVu Sans Mono and its peers advance 0.6 em. */
#define LABEL_FONT_PX 12
#define LABEL_CHAR_PX 7.2
#define TICK_FONT_PX 11
#define TICK_CHAR_PX 6.6
#define HOST_FONT_PX 14
#define HOST_CHAR_PX 9.1           /* bold sans, generously */
#define PAD_PX 16
#define ROW_PX 20                  /* two texts in one column, at least */
#define MIN_GAP_PX 4               /* two distinct times, at least */
#define ARROW_DY_PX 44             /* a typical one-way delay */
#define BREAK_MIN_PX (3 * ARROW_DY_PX)   /* longer gaps are shortened */
#define BREAK_GAP_PX 40
#define BREAK_AT_PX 30             /* the mark, below the last row: clear
                                    * of a lost segment's cross */
#define DROP_DY_PX (ARROW_DY_PX / 2)
#define LABEL_INSET_PX 14          /* label start, from the sender */
#define LABEL_DROP_PX 12           /* label baseline, below the shaft */
#define MIN_GAP_WIDTH_PX 360
#define BOX_H_PX 42
#define HEAD_LEN_PX 9.0
#define HEAD_HALF_PX 3.5

static const char font_mono[] =
  "DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace";
static const char font_sans[] =
  "DejaVu Sans, Helvetica, Arial, Liberation Sans, sans-serif";

static const char color_ink[] = "#1f2937";
static const char color_muted[] = "#6b7280";
static const char color_lost[] = "#c0392b";
static const char color_rexmit[] = "#b45309";
static const char color_state[] = "#0f766e";

/* Where texts go, left to right; two texts in one column keep ROW_PX
 * apart vertically.  The arrival columns hold no text: two arrows from
 * one side that start ROW_PX apart and also end ROW_PX apart keep that
 * distance all along, which leaves room for the label under the upper
 * one. */
typedef enum {
  COL_CARRIVE,
  COL_SARRIVE,
  COL_LTICK,
  COL_CSTATE,
  COL_CLABEL,
  COL_MID,
  COL_SLABEL,
  COL_SSTATE,
  COL_RTICK,
  N_COLS
} Column;

typedef enum {
  ITEM_ARRIVAL,                 /* a segment reaches the other lifeline */
  ITEM_DROP,                    /* where a lost segment's arrow stops */
  ITEM_STATE,
  ITEM_SEND,
  ITEM_BAND,                    /* the elided stretch */
} ItemKind;

typedef struct {
  ItemKind kind;
  SimTime at_ns;
  guint phase;                  /* 0: arrivals and drops come first at a
                                 * given time, since a segment arrives
                                 * before the state change it causes and
                                 * the answer it triggers; 1: the rest, in
                                 * event order */
  guint event;                  /* index of the event it belongs to */
  SeqDiagSide side;             /* whose lifeline (arrival: the receiver) */
  int y;                        /* filled in by the layout */
} Item;

typedef struct {
  int y;
  SimTime at_ns;
} Tick;

typedef struct {
  const SeqDiag *diag;
  SeqDiagElision plan;
  GArray *items;                /* Item, sorted */
  int *y_send;                  /* per event: the send or state row */
  int *y_end;                   /* per segment event: arrival or cross */
  GArray *ticks[SEQDIAG_N_SIDES];   /* Tick */
  GArray *breaks;               /* int: middle of a shortened gap */
  const char *after_band[SEQDIAG_N_SIDES];  /* states once the band ends */
  int y_band;                   /* -1: no band */
  int y_init;                   /* row of the initial states */
  int y_bottom;                 /* lifelines end here */
  double px_per_ns;

  /* Columns, from measure_columns(). */
  int x_ltick_end;              /* left tick labels end here */
  int x_laxis;
  int x_client;
  int x_server;
  int x_raxis;
  int width;
  int height;
} Layout;

static int
item_compare (gconstpointer a, gconstpointer b)
{
  const Item *x = a;
  const Item *y = b;

  if (x->at_ns != y->at_ns)
    return x->at_ns < y->at_ns ? -1 : 1;
  if (x->phase != y->phase)
    return x->phase < y->phase ? -1 : 1;
  if (x->event != y->event)
    return x->event < y->event ? -1 : 1;
  /* The only items left tied are a segment's send and its own zero-delay
   * arrival: send first. */
  return (x->kind == ITEM_SEND ? 0 : 1) - (y->kind == ITEM_SEND ? 0 : 1);
}

static void
add_item (Layout *l, ItemKind kind, SimTime at_ns, guint phase, guint event,
          SeqDiagSide side)
{
  Item it = { kind, at_ns, phase, event, side, 0 };

  g_array_append_val (l->items, it);
}

static SeqDiagSide
other_side (SeqDiagSide side)
{
  return side == SEQDIAG_CLIENT ? SEQDIAG_SERVER : SEQDIAG_CLIENT;
}

static void
collect_items (Layout *l)
{
  const SeqDiag *diag = l->diag;

  for (guint i = 0; i < l->plan.n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (diag, i);

      if (seqdiag_elide_hides (&l->plan, i))
        {
          if (i == l->plan.hide_first)
            add_item (l, ITEM_BAND, ev->at_ns, 1, i, SEQDIAG_CLIENT);
          continue;
        }
      if (ev->kind == SEQDIAG_EVENT_STATE)
        {
          add_item (l, ITEM_STATE, ev->at_ns, 1, i, ev->state.side);
          continue;
        }
      add_item (l, ITEM_SEND, ev->at_ns, 1, i, ev->seg.from);
      if (ev->seg.fate == SEQDIAG_FATE_ARRIVED)
        add_item (l, ITEM_ARRIVAL, ev->seg.end_ns, 0, i,
                  other_side (ev->seg.from));
      else if (ev->seg.fate == SEQDIAG_FATE_DROPPED
               && ev->seg.end_ns > ev->at_ns)
        add_item (l, ITEM_DROP, ev->seg.end_ns, 0, i, ev->seg.from);
    }
  g_array_sort (l->items, item_compare);
}

/* The scale: a typical one-way delay (the median flight of the segments
 * drawn) becomes ARROW_DY_PX, so that arrows slant alike whatever the
 * link's delay. */
static void
choose_scale (Layout *l)
{
  g_autoptr (GArray) flights = g_array_new (FALSE, FALSE, sizeof (SimTime));
  SimTime ref_ns = SIM_MS (1);

  for (guint i = 0; i < l->plan.n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (l->diag, i);
      SimTime flight_ns;

      if (seqdiag_elide_hides (&l->plan, i)
          || ev->kind != SEQDIAG_EVENT_SEGMENT
          || ev->seg.fate != SEQDIAG_FATE_ARRIVED)
        continue;
      flight_ns = ev->seg.end_ns - ev->at_ns;
      if (flight_ns > 0)
        g_array_append_val (flights, flight_ns);
    }
  if (flights->len > 0)
    {
      SimTime *v = (SimTime *) (void *) flights->data;

      /* Insertion sort: few segments are drawn, and it is stable. */
      for (guint i = 1; i < flights->len; i++)
        for (guint j = i; j > 0 && v[j - 1] > v[j]; j--)
          {
            SimTime t = v[j];

            v[j] = v[j - 1];
            v[j - 1] = t;
          }
      ref_ns = v[flights->len / 2];
    }
  l->px_per_ns = (double) ARROW_DY_PX / (double) ref_ns;
}

/* The vertical room for a stretch of @dt_ns with nothing in it; a long
 * one is shortened, and the break is remembered to be marked. */
static int
time_gap (Layout *l, int y_from, SimTime dt_ns)
{
  double px;

  if (dt_ns <= 0)
    return 0;
  px = (double) dt_ns * l->px_per_ns;
  if (px > (double) BREAK_MIN_PX)
    {
      int mid = y_from + BREAK_AT_PX;

      g_array_append_val (l->breaks, mid);
      return BREAK_GAP_PX;
    }
  return MAX (MIN_GAP_PX, (int) lround (px));
}

static Column
tick_col (SeqDiagSide side)
{
  return side == SEQDIAG_CLIENT ? COL_LTICK : COL_RTICK;
}

/* The columns an item writes text into, besides its time tick. */
static guint
item_columns (const Layout *l, const Item *it, Column cols[N_COLS])
{
  guint n = 0;

  switch (it->kind)
    {
    case ITEM_ARRIVAL:
      cols[n++] = it->side == SEQDIAG_CLIENT ? COL_CARRIVE : COL_SARRIVE;
      break;
    case ITEM_DROP:
      cols[n++] = COL_MID;
      break;
    case ITEM_STATE:
      cols[n++] = it->side == SEQDIAG_CLIENT ? COL_CSTATE : COL_SSTATE;
      break;
    case ITEM_SEND:
      cols[n++] = it->side == SEQDIAG_CLIENT ? COL_CLABEL : COL_SLABEL;
      break;
    case ITEM_BAND:
      for (guint c = 0; c < N_COLS; c++)
        cols[n++] = (Column) c;
      break;
    default:
      g_assert_not_reached ();
    }
  return n;
}

static gboolean
item_has_tick (const Item *it)
{
  return it->kind == ITEM_ARRIVAL || it->kind == ITEM_STATE
         || it->kind == ITEM_SEND;
}

/* Places the items top to bottom.  Each goes at the time scale's row for
 * its time, or lower when a text of its columns would overlap the one
 * above; items at one time share a row when nothing overlaps, so that a
 * segment's arrival, the state change it causes and the answer it
 * triggers line up. */
static void
layout_items (Layout *l)
{
  int last[N_COLS];
  int floor_y = l->y_init + ROW_PX;
  SimTime prev_ns = 0;
  gboolean have_prev = FALSE;
  const char *current[SEQDIAG_N_SIDES];

  for (guint c = 0; c < N_COLS; c++)
    last[c] = l->y_init - ROW_PX;
  last[COL_CSTATE] = l->y_init;
  last[COL_SSTATE] = l->y_init;
  current[SEQDIAG_CLIENT] = seqdiag_end (l->diag, SEQDIAG_CLIENT)
                              ->initial_state;
  current[SEQDIAG_SERVER] = seqdiag_end (l->diag, SEQDIAG_SERVER)
                              ->initial_state;

  for (guint i = 0; i < l->items->len; i++)
    {
      Item *it = &g_array_index (l->items, Item, i);
      const SeqDiagEvent *ev = seqdiag_event (l->diag, it->event);
      Column cols[N_COLS];
      guint n_cols = item_columns (l, it, cols);
      int y = floor_y;

      if (have_prev && it->at_ns != prev_ns)
        y += time_gap (l, floor_y, it->at_ns - prev_ns);
      for (guint c = 0; c < n_cols; c++)
        y = MAX (y, last[cols[c]] + ROW_PX);
      /* A segment lost as it was sent has its cross drawn a little below
       * the send; that text must clear the one above it too. */
      if (it->kind == ITEM_SEND && ev->seg.fate == SEQDIAG_FATE_DROPPED
          && ev->seg.end_ns <= ev->at_ns)
        y = MAX (y, last[COL_MID] + ROW_PX - DROP_DY_PX);
      if (item_has_tick (it))
        {
          GArray *ticks = l->ticks[it->side];
          const Tick *t = ticks->len > 0
                            ? &g_array_index (ticks, Tick, ticks->len - 1)
                            : NULL;

          /* One tick serves every item at its time and row. */
          if (t != NULL && (t->at_ns != it->at_ns || y > t->y))
            y = MAX (y, t->y + ROW_PX);
          if (t == NULL || t->at_ns != it->at_ns || t->y != y)
            {
              Tick nt = { y, it->at_ns };

              g_array_append_val (ticks, nt);
            }
          last[tick_col (it->side)] = y;
        }
      it->y = y;
      for (guint c = 0; c < n_cols; c++)
        last[cols[c]] = y;
      floor_y = y;
      prev_ns = it->at_ns;
      have_prev = TRUE;

      switch (it->kind)
        {
        case ITEM_SEND:
          l->y_send[it->event] = y;
          if (ev->seg.fate == SEQDIAG_FATE_DROPPED
              && ev->seg.end_ns <= ev->at_ns)
            {
              l->y_end[it->event] = y + DROP_DY_PX;
              last[COL_MID] = MAX (last[COL_MID], y + DROP_DY_PX);
            }
          else if (ev->seg.fate == SEQDIAG_FATE_IN_FLIGHT)
            l->y_end[it->event] = y + ARROW_DY_PX;
          break;
        case ITEM_ARRIVAL:
        case ITEM_DROP:
          l->y_end[it->event] = y;
          break;
        case ITEM_STATE:
          l->y_send[it->event] = y;
          current[ev->state.side] = ev->state.to;
          break;
        case ITEM_BAND:
          l->y_band = y;
          for (guint k = l->plan.hide_first; k <= l->plan.hide_last; k++)
            {
              const SeqDiagEvent *hidden = seqdiag_event (l->diag, k);

              if (hidden->kind == SEQDIAG_EVENT_STATE)
                current[hidden->state.side] = hidden->state.to;
            }
          /* States changed out of sight: say where each end now stands,
           * a row below the band. */
          if (l->plan.n_hidden_states > 0)
            {
              l->after_band[SEQDIAG_CLIENT] = current[SEQDIAG_CLIENT];
              l->after_band[SEQDIAG_SERVER] = current[SEQDIAG_SERVER];
              y += ROW_PX;
            }
          for (guint c = 0; c < N_COLS; c++)
            last[c] = y;
          floor_y = y;
          prev_ns = seqdiag_event (l->diag, l->plan.hide_last)->at_ns;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  l->y_bottom = floor_y;
  for (guint i = 0; i < l->plan.n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (l->diag, i);

      if (!seqdiag_elide_hides (&l->plan, i)
          && ev->kind == SEQDIAG_EVENT_SEGMENT)
        l->y_bottom = MAX (l->y_bottom, l->y_end[i] + ROW_PX);
    }
  l->y_bottom += ROW_PX;
}

static int
text_px (const char *text, double char_px)
{
  return (int) ceil ((double) g_utf8_strlen (text, -1) * char_px);
}

static char *
lost_text (const SeqDiagSegment *seg)
{
  if (seg->drop_reason == NULL)
    return g_strdup ("lost");
  return g_strdup_printf ("lost (%s)", seg->drop_reason);
}

static char *
end_addr (const SeqDiagEnd *end)
{
  char addr[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (end->addr, addr);
  return g_strdup_printf ("%s:%u", addr, end->port);
}

static int
box_half_px (const SeqDiagEnd *end)
{
  g_autofree char *addr = end_addr (end);

  return (MAX (text_px (end->host, HOST_CHAR_PX),
               text_px (addr, LABEL_CHAR_PX)) + 20) / 2;
}

static void
fit_state (int *w, const char *state)
{
  if (state != NULL)
    *w = MAX (*w, text_px (state, LABEL_CHAR_PX));
}

static int
ticks_px (const GArray *ticks)
{
  int w = 0;

  for (guint i = 0; i < ticks->len; i++)
    {
      char buf[SEQDIAG_TIME_STR_BYTES];

      seqdiag_format_time (g_array_index (ticks, Tick, i).at_ns, buf);
      w = MAX (w, text_px (buf, TICK_CHAR_PX));
    }
  return w;
}

/* Widths: the gap between the lifelines holds a client label from the
 * left and a server label from the right side by side, so that arrows
 * crossing in opposite directions never put one label over the other. */
static void
measure_columns (Layout *l)
{
  const SeqDiagEnd *client = seqdiag_end (l->diag, SEQDIAG_CLIENT);
  const SeqDiagEnd *server = seqdiag_end (l->diag, SEQDIAG_SERVER);
  int label_w[SEQDIAG_N_SIDES] = { 0, 0 };
  int state_w[SEQDIAG_N_SIDES] = { 0, 0 };
  int gap = MIN_GAP_WIDTH_PX;
  int tick_w[SEQDIAG_N_SIDES];
  int axis_caption_w = text_px ("time (s)", TICK_CHAR_PX);

  fit_state (&state_w[SEQDIAG_CLIENT], client->initial_state);
  fit_state (&state_w[SEQDIAG_SERVER], server->initial_state);
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    fit_state (&state_w[side], l->after_band[side]);
  for (guint i = 0; i < l->plan.n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (l->diag, i);

      if (seqdiag_elide_hides (&l->plan, i))
        continue;
      if (ev->kind == SEQDIAG_EVENT_STATE)
        {
          fit_state (&state_w[ev->state.side], ev->state.to);
        }
      else
        {
          g_autofree char *label = seqdiag_text_segment_label (&ev->seg);
          g_autofree char *lost = lost_text (&ev->seg);

          label_w[ev->seg.from] = MAX (label_w[ev->seg.from],
                                       text_px (label, LABEL_CHAR_PX));
          if (ev->seg.fate == SEQDIAG_FATE_DROPPED)
            gap = MAX (gap, 2 * (text_px (lost, TICK_CHAR_PX) + 24));
        }
    }
  if (l->plan.n_hidden_segments > 0)
    gap = MAX (gap, 60 + text_px ("… 4294967295 segments …", LABEL_CHAR_PX));
  gap = MAX (gap, label_w[SEQDIAG_CLIENT] + label_w[SEQDIAG_SERVER]
                    + 3 * LABEL_INSET_PX);
  /* A lost segment's label runs along half an arrow. */
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    gap = MAX (gap, 2 * (label_w[side] + 2 * LABEL_INSET_PX));
  gap = MAX (gap, box_half_px (client) + box_half_px (server) + 24);

  tick_w[SEQDIAG_CLIENT] = MAX (ticks_px (l->ticks[SEQDIAG_CLIENT]),
                                axis_caption_w);
  tick_w[SEQDIAG_SERVER] = MAX (ticks_px (l->ticks[SEQDIAG_SERVER]),
                                axis_caption_w);

  l->x_ltick_end = PAD_PX + tick_w[SEQDIAG_CLIENT];
  l->x_laxis = l->x_ltick_end + 6;
  l->x_client = l->x_laxis + 14 + state_w[SEQDIAG_CLIENT] + 10;
  l->x_client = MAX (l->x_client, PAD_PX + box_half_px (client));
  l->x_server = l->x_client + gap;
  l->x_raxis = l->x_server + 10 + state_w[SEQDIAG_SERVER] + 14;
  l->x_raxis = MAX (l->x_raxis, l->x_server + box_half_px (server) + 4);
  l->width = l->x_raxis + 6 + tick_w[SEQDIAG_SERVER] + PAD_PX;
  l->height = l->y_bottom + 34;
}

/* Numbers with at most @decimals decimals and no trailing zeros, the C
 * locale's way whatever the process locale. */
static void
put_num_prec (GString *s, double v, guint decimals)
{
  char format[8];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  gsize len;

  g_snprintf (format, sizeof format, "%%.%uf", decimals);
  g_ascii_formatd (buf, sizeof buf, format, v);
  len = strlen (buf);
  if (strchr (buf, '.') != NULL)
    {
      while (buf[len - 1] == '0')
        buf[--len] = '\0';
      if (buf[len - 1] == '.')
        buf[--len] = '\0';
    }
  /* "-0" would differ from "0" for no reason. */
  if (strcmp (buf, "-0") == 0)
    g_strlcpy (buf, "0", sizeof buf);
  g_string_append (s, buf);
}

static void
put_num (GString *s, double v)
{
  put_num_prec (s, v, 2);
}

static void
put_text (GString *s, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (s, escaped);
}

static void
draw_line (GString *s, int x1, int y1, int x2, int y2, const char *extra)
{
  g_string_append_printf (s, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                          "y2=\"%d\"%s/>\n", x1, y1, x2, y2, extra);
}

static void
draw_header (GString *s, const Layout *l, const SeqDiagEnd *end, int x)
{
  g_autofree char *addr = end_addr (end);
  int half = box_half_px (end);

  g_string_append_printf (s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
                          "height=\"%d\" rx=\"5\" fill=\"#f3f4f6\" "
                          "stroke=\"%s\" stroke-width=\"1.2\"/>\n",
                          x - half, PAD_PX, 2 * half, BOX_H_PX, color_ink);
  g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                          "font-family=\"%s\" font-size=\"%d\" "
                          "font-weight=\"bold\">", x, PAD_PX + 18, font_sans,
                          HOST_FONT_PX);
  put_text (s, end->host);
  g_string_append (s, "</text>\n");
  g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                          "fill=\"%s\">", x, PAD_PX + 34, color_muted);
  put_text (s, addr);
  g_string_append (s, "</text>\n");
}

/* A lifeline from under its box to the bottom, dashed across the elided
 * band. */
static void
draw_lifeline (GString *s, const Layout *l, int x)
{
  int top = PAD_PX + BOX_H_PX;

  if (l->y_band < 0)
    {
      draw_line (s, x, top, x, l->y_bottom, "");
      return;
    }
  draw_line (s, x, top, x, l->y_band - ROW_PX / 2, "");
  draw_line (s, x, l->y_band - ROW_PX / 2, x, l->y_band + ROW_PX / 2,
             " stroke-dasharray=\"3 3\"");
  draw_line (s, x, l->y_band + ROW_PX / 2, x, l->y_bottom, "");
}

/* The mark of a shortened gap: two short slanted strokes across the
 * line, on a white gap, as on a broken axis. */
static void
draw_break (GString *s, int x, int y)
{
  g_string_append_printf (s, "<rect x=\"%d\" y=\"%d\" width=\"14\" "
                          "height=\"6\" fill=\"#fff\" stroke=\"none\"/>\n",
                          x - 7, y - 3);
  draw_line (s, x - 7, y + 1, x + 7, y - 5, "");
  draw_line (s, x - 7, y + 5, x + 7, y - 1, "");
}

static void
draw_axis (GString *s, const Layout *l, SeqDiagSide side)
{
  gboolean left = side == SEQDIAG_CLIENT;
  int x = left ? l->x_laxis : l->x_raxis;
  const GArray *ticks = l->ticks[side];

  g_string_append_printf (s, "<g stroke=\"%s\" fill=\"%s\" font-size=\"%d\">\n",
                          color_muted, color_muted, TICK_FONT_PX);
  g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" stroke=\"none\" "
                          "text-anchor=\"%s\">time (s)</text>\n",
                          left ? l->x_ltick_end : x + 6, l->y_init - 4,
                          left ? "end" : "start");
  draw_line (s, x, l->y_init + 4, x, l->y_bottom, "");
  for (guint i = 0; i < ticks->len; i++)
    {
      const Tick *t = &g_array_index (ticks, Tick, i);
      char buf[SEQDIAG_TIME_STR_BYTES];

      seqdiag_format_time (t->at_ns, buf);
      draw_line (s, x - 3, t->y, x + 3, t->y, "");
      g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" stroke=\"none\" "
                              "text-anchor=\"%s\">%s</text>\n",
                              left ? l->x_ltick_end : x + 6, t->y + 4,
                              left ? "end" : "start", buf);
    }
  for (guint i = 0; i < l->breaks->len; i++)
    draw_break (s, x, g_array_index (l->breaks, int, i));
  g_string_append (s, "</g>\n");
}

static void
draw_state_text (GString *s, const Layout *l, SeqDiagSide side, int y,
                 const char *state, gboolean dot)
{
  int x = side == SEQDIAG_CLIENT ? l->x_client : l->x_server;

  if (state == NULL)
    return;
  if (dot)
    g_string_append_printf (s, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" "
                            "stroke=\"none\"/>\n", x,
                            y);
  g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">",
                          side == SEQDIAG_CLIENT ? x - 10 : x + 10, y + 4,
                          side == SEQDIAG_CLIENT ? "end" : "start");
  put_text (s, state);
  g_string_append (s, "</text>\n");
}

/* An arrow from (x1, y1) towards (x2, y2): the shaft stops where the head
 * starts, so that the tip stays sharp. */
static void
draw_arrow_shaft_and_head (GString *s, double x1, double y1, double x2,
                           double y2, gboolean head, const char *extra)
{
  double dx = x2 - x1;
  double dy = y2 - y1;
  double len = sqrt (dx * dx + dy * dy);
  double ux = dx / len;
  double uy = dy / len;
  double bx = x2 - HEAD_LEN_PX * ux;
  double by = y2 - HEAD_LEN_PX * uy;

  g_string_append (s, "<line x1=\"");
  put_num (s, x1);
  g_string_append (s, "\" y1=\"");
  put_num (s, y1);
  g_string_append (s, "\" x2=\"");
  put_num (s, head ? bx + ux : x2);
  g_string_append (s, "\" y2=\"");
  put_num (s, head ? by + uy : y2);
  g_string_append_printf (s, "\"%s/>\n", extra);
  if (!head)
    return;
  g_string_append (s, "<polygon stroke=\"none\" points=\"");
  put_num (s, x2);
  g_string_append_c (s, ',');
  put_num (s, y2);
  g_string_append_c (s, ' ');
  put_num (s, bx - HEAD_HALF_PX * uy);
  g_string_append_c (s, ',');
  put_num (s, by + HEAD_HALF_PX * ux);
  g_string_append_c (s, ' ');
  put_num (s, bx + HEAD_HALF_PX * uy);
  g_string_append_c (s, ',');
  put_num (s, by - HEAD_HALF_PX * ux);
  g_string_append (s, "\"/>\n");
}

/* The label runs along the arrow from near its sender, just below the
 * shaft, reading left to right whichever way the arrow points.  Below,
 * not above: the segment that triggered this one arrives at the same
 * point from above, and would run through a label placed there. */
static void
draw_label (GString *s, double x1, double y1, double x2, double y2,
            const char *label)
{
  double dx = x2 - x1;
  double dy = y2 - y1;
  double len = sqrt (dx * dx + dy * dy);
  double ux = dx / len;
  double uy = dy / len;
  gboolean rightward = dx > 0;
  double rx = rightward ? ux : -ux;     /* reading direction */
  double ry = rightward ? uy : -uy;
  double px = x1 + LABEL_INSET_PX * ux - LABEL_DROP_PX * ry;
  double py = y1 + LABEL_INSET_PX * uy + LABEL_DROP_PX * rx;

  g_string_append (s, "<text transform=\"matrix(");
  put_num_prec (s, rx, 4);
  g_string_append_c (s, ' ');
  put_num_prec (s, ry, 4);
  g_string_append_c (s, ' ');
  put_num_prec (s, -ry, 4);
  g_string_append_c (s, ' ');
  put_num_prec (s, rx, 4);
  g_string_append_c (s, ' ');
  put_num (s, px);
  g_string_append_c (s, ' ');
  put_num (s, py);
  /* The white halo keeps the label readable where another shaft
   * crosses it. */
  g_string_append_printf (s, ")\" stroke=\"#fff\" stroke-width=\"3\"%s>",
                          rightward ? "" : " text-anchor=\"end\"");
  put_text (s, label);
  g_string_append (s, "</text>\n");
}

static void
draw_segment (GString *s, const Layout *l, guint index,
              const SeqDiagSegment *seg)
{
  g_autofree char *label = seqdiag_text_segment_label (seg);
  gboolean rightward = seg->from == SEQDIAG_CLIENT;
  int x1 = rightward ? l->x_client : l->x_server;
  int x2 = rightward ? l->x_server : l->x_client;
  int y1 = l->y_send[index];
  int y2 = l->y_end[index];
  const char *color = seg->retransmit ? color_rexmit : color_ink;

  if (seg->fate == SEQDIAG_FATE_DROPPED)
    {
      g_autofree char *lost = lost_text (seg);
      int xm = (l->x_client + l->x_server) / 2;

      g_string_append_printf (s, "<g stroke=\"%s\" fill=\"%s\">\n",
                              color_lost, color_lost);
      draw_arrow_shaft_and_head (s, x1, y1, xm, y2, FALSE, "");
      draw_line (s, xm - 6, y2 - 6, xm + 6, y2 + 6,
                 " stroke-width=\"2.4\"");
      draw_line (s, xm - 6, y2 + 6, xm + 6, y2 - 6,
                 " stroke-width=\"2.4\"");
      draw_label (s, x1, y1, xm, y2, label);
      /* The reason goes beyond the cross, where the arrow would have
       * gone on, clear of the label under the shaft. */
      g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" stroke=\"#fff\" "
                              "stroke-width=\"3\" text-anchor=\"%s\" "
                              "font-size=\"%d\">",
                              rightward ? xm + 12 : xm - 12, y2 + 4,
                              rightward ? "start" : "end", TICK_FONT_PX);
      put_text (s, lost);
      g_string_append (s, "</text>\n</g>\n");
      return;
    }
  g_string_append_printf (s, "<g stroke=\"%s\" fill=\"%s\">\n", color,
                          color);
  draw_arrow_shaft_and_head (s, x1, y1, x2, y2, TRUE,
                             seg->fate == SEQDIAG_FATE_IN_FLIGHT
                               ? " stroke-dasharray=\"5 4\"" : "");
  draw_label (s, x1, y1, x2, y2, label);
  g_string_append (s, "</g>\n");
}

static void
draw_band (GString *s, const Layout *l)
{
  g_autofree char *text = NULL;

  if (l->y_band < 0)
    return;
  text = g_strdup_printf ("… %u segment%s …", l->plan.n_hidden_segments,
                          l->plan.n_hidden_segments == 1 ? "" : "s");
  g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                          "fill=\"%s\" font-style=\"italic\">",
                          (l->x_client + l->x_server) / 2, l->y_band + 4,
                          color_muted);
  put_text (s, text);
  g_string_append (s, "</text>\n");
}

static char *
render (Layout *l, const SeqDiagSvgOptions *options)
{
  const SeqDiagEnd *client = seqdiag_end (l->diag, SEQDIAG_CLIENT);
  const SeqDiagEnd *server = seqdiag_end (l->diag, SEQDIAG_SERVER);
  g_autofree char *client_addr = end_addr (client);
  g_autofree char *server_addr = end_addr (server);
  GString *s = g_string_new (NULL);

  if (options->standalone)
    g_string_append (s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (s, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                          "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                          "role=\"img\" font-family=\"%s\" font-size=\"%d\">\n",
                          l->width, l->height, l->width, l->height, font_mono,
                          LABEL_FONT_PX);
  g_string_append (s, "<title>");
  put_text (s, "TCP sequence diagram: ");
  put_text (s, client->host);
  g_string_append_printf (s, " %s and ", client_addr);
  put_text (s, server->host);
  g_string_append_printf (s, " %s</title>\n", server_addr);
  g_string_append_printf (s, "<rect width=\"%d\" height=\"%d\" "
                          "fill=\"#fff\"/>\n", l->width, l->height);

  draw_header (s, l, client, l->x_client);
  draw_header (s, l, server, l->x_server);
  draw_axis (s, l, SEQDIAG_CLIENT);
  draw_axis (s, l, SEQDIAG_SERVER);

  g_string_append_printf (s, "<g stroke=\"%s\" stroke-width=\"1.5\">\n",
                          color_ink);
  draw_lifeline (s, l, l->x_client);
  draw_lifeline (s, l, l->x_server);
  for (guint i = 0; i < l->breaks->len; i++)
    {
      draw_break (s, l->x_client, g_array_index (l->breaks, int, i));
      draw_break (s, l->x_server, g_array_index (l->breaks, int, i));
    }
  g_string_append (s, "</g>\n");

  /* Texts get a white halo so that a shaft crossing them does not. */
  g_string_append_printf (s, "<g fill=\"%s\" stroke=\"#fff\" "
                          "stroke-width=\"3\" stroke-linejoin=\"round\" "
                          "paint-order=\"stroke\">\n", color_state);
  draw_state_text (s, l, SEQDIAG_CLIENT, l->y_init, client->initial_state,
                   FALSE);
  draw_state_text (s, l, SEQDIAG_SERVER, l->y_init, server->initial_state,
                   FALSE);
  for (guint i = 0; i < l->items->len; i++)
    {
      const Item *it = &g_array_index (l->items, Item, i);
      const SeqDiagEvent *ev = seqdiag_event (l->diag, it->event);

      if (it->kind == ITEM_STATE)
        draw_state_text (s, l, ev->state.side, it->y, ev->state.to, TRUE);
    }
  if (l->y_band >= 0)
    for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
      draw_state_text (s, l, side, l->y_band + ROW_PX, l->after_band[side],
                       FALSE);
  g_string_append (s, "</g>\n");

  g_string_append (s, "<g stroke-width=\"1.4\" paint-order=\"stroke\" "
                   "stroke-linejoin=\"round\">\n");
  for (guint i = 0; i < l->plan.n_events; i++)
    {
      const SeqDiagEvent *ev = seqdiag_event (l->diag, i);

      if (!seqdiag_elide_hides (&l->plan, i)
          && ev->kind == SEQDIAG_EVENT_SEGMENT)
        draw_segment (s, l, i, &ev->seg);
    }
  g_string_append (s, "</g>\n");
  draw_band (s, l);

  g_string_append_printf (s, "<text x=\"%d\" y=\"%d\" fill=\"%s\" "
                          "font-family=\"%s\" font-size=\"%d\">"
                          "Time runs down. seq and ack are relative to "
                          "each end's initial sequence number.%s</text>\n",
                          PAD_PX, l->height - 12, color_muted, font_sans,
                          TICK_FONT_PX,
                          l->breaks->len > 0
                            ? " Double strokes mark shortened gaps." : "");
  g_string_append (s, "</svg>\n");
  return g_string_free (s, FALSE);
}

char *
seqdiag_svg_render (const SeqDiag *diag, const SeqDiagSvgOptions *options)
{
  Layout l = { 0 };
  char *svg;
  guint n_events;

  g_return_val_if_fail (diag != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (seqdiag_end (diag, SEQDIAG_CLIENT) == NULL
      || seqdiag_end (diag, SEQDIAG_SERVER) == NULL
      || seqdiag_n_segments (diag) == 0)
    return g_strdup ("");

  l.diag = diag;
  seqdiag_elide_plan (diag, options->max_segments, &l.plan);
  n_events = l.plan.n_events;
  l.items = g_array_new (FALSE, FALSE, sizeof (Item));
  l.y_send = g_new0 (int, n_events);
  l.y_end = g_new0 (int, n_events);
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    l.ticks[side] = g_array_new (FALSE, FALSE, sizeof (Tick));
  l.breaks = g_array_new (FALSE, FALSE, sizeof (int));
  l.y_band = -1;
  l.y_init = PAD_PX + BOX_H_PX + 22;

  collect_items (&l);
  choose_scale (&l);
  layout_items (&l);
  measure_columns (&l);
  svg = render (&l, options);

  g_array_unref (l.items);
  g_free (l.y_send);
  g_free (l.y_end);
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    g_array_unref (l.ticks[side]);
  g_array_unref (l.breaks);
  return svg;
}
