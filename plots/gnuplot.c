/* gnuplot.c: PlotData -> STEM.dat + STEM.gp -> gnuplot -> PNG, SVG.
 *
 * gnuplot_write_views() picks the flows that carried data and the links,
 * gives each plot a stem (plot_stem()), and for each writes the data
 * (write_dat(): one named block per series, written by dat_block()) and
 * the script (write_script(): script_header() then the view's template).
 * The template's plot command loses the clauses of series without points
 * (append_template()), and the header sets, when all points share one
 * time or one value, a range gnuplot would otherwise call empty: either
 * would make gnuplot warn.
 *
 * gnuplot_render() runs one gnuplot per script on a thread pool and
 * treats anything gnuplot prints on stderr as a failure: a warning there
 * means a plot that does not show what it should.
 */
#include "plots/gnuplot.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "plots/gnuplot_private.h"

G_DEFINE_QUARK (gnuplot-error-quark, gnuplot_error)

#define DEFAULT_MAX_FLOWS 8u
#define DEFAULT_MAX_LINKS 16u
/* The dumb terminal's size when the output is not a terminal. */
#define DEFAULT_TERMINAL_COLS 100u
#define DEFAULT_TERMINAL_ROWS 32u

/* A degenerate x range is widened by this much on each side at least. */
#define MIN_X_PAD_NS SIM_MS (1)

static const char *const view_names[GNUPLOT_N_VIEWS] = {
  [GNUPLOT_VIEW_TSEQ] = "tseq",
  [GNUPLOT_VIEW_CWND] = "cwnd",
  [GNUPLOT_VIEW_RTT] = "rtt",
  [GNUPLOT_VIEW_GOODPUT] = "goodput",
  [GNUPLOT_VIEW_QUEUE] = "queue",
  [GNUPLOT_VIEW_OVERLAY] = "overlay",
};

const char *
gnuplot_view_name (GnuplotView view)
{
  g_return_val_if_fail ((guint) view < GNUPLOT_N_VIEWS, "?");
  return view_names[view];
}

const char *
gnuplot_view_template (GnuplotView view)
{
  const char *text;

  g_return_val_if_fail ((guint) view < GNUPLOT_N_VIEWS, "");
  text = gnuplot__template (view_names[view]);
  g_assert (text != NULL);
  return text;
}

void
gnuplot_options_init (GnuplotOptions *options)
{
  g_return_if_fail (options != NULL);
  options->max_flows = DEFAULT_MAX_FLOWS;
  options->max_links = DEFAULT_MAX_LINKS;
  options->render = TRUE;
  options->terminal = NULL;
}

void
gnuplot_script_free (GnuplotScript *script)
{
  if (script == NULL)
    return;
  g_free (script->stem);
  g_free (script->title);
  g_free (script->subject);
  g_free (script);
}

static GnuplotScript *
script_new (GnuplotView view, const char *stem, const char *title,
            const char *subject)
{
  GnuplotScript *s = g_new0 (GnuplotScript, 1);

  s->view = view;
  s->stem = g_strdup (stem);
  s->title = g_strdup (title);
  s->subject = g_strdup (subject);
  return s;
}

/* Numbers, exactly: no float ever reaches a .dat file. */

static void
append_seconds (GString *out, SimTime ns)
{
  if (ns < 0)
    {
      g_string_append_c (out, '-');
      ns = -ns;
    }
  g_string_append_printf (out, "%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT,
                          ns / SIM_S (1), ns % SIM_S (1));
}

static void
append_ms (GString *out, SimTime ns)
{
  if (ns < 0)
    {
      g_string_append_c (out, '-');
      ns = -ns;
    }
  g_string_append_printf (out, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                          ns / SIM_MS (1), ns % SIM_MS (1));
}

typedef enum {
  COL_INT,
  COL_SECONDS,                  /* a time in ns, written in s */
  COL_MS,                       /* a duration in ns, written in ms */
} ColKind;

/* How each series is written: its values' kinds, column names, and what
 * the block holds (no block name may appear in another's text, since
 * gnuplot finds a block by searching its comment lines). */
static const struct {
  ColKind kinds[2];
  const char *columns;
  const char *what;
} series_format[PLOT_N_SERIES] = {
  [PLOT_SERIES_SEG] = { { COL_INT, COL_INT }, "time_s start end",
    "data segments sent for the first time, at their send time: first "
    "relative sequence number and one past the last" },
  [PLOT_SERIES_REXMIT_RTO] = { { COL_INT, COL_INT }, "time_s start end",
    "segments sent again while recovering from a retransmission timeout" },
  [PLOT_SERIES_REXMIT] = { { COL_INT, COL_INT }, "time_s start end",
    "segments sent again otherwise (fast retransmit, SACK recovery)" },
  [PLOT_SERIES_ACK] = { { COL_INT, COL_INT }, "time_s rel_ack",
    "the peer's cumulative acknowledgement, at each ACK that moves it, as "
    "it reaches the sender" },
  [PLOT_SERIES_WIN] = { { COL_INT, COL_INT }, "time_s right_edge",
    "acknowledgement plus offered window (scaled), at each ACK that moves "
    "that edge" },
  [PLOT_SERIES_SACK] = { { COL_INT, COL_INT }, "time_s start end",
    "selective acknowledgement blocks, at the arrival of the ACK that "
    "carries them" },
  [PLOT_SERIES_DROP] = { { COL_INT, COL_INT }, "time_s start end",
    "data segments that never reached the receiver intact, at their send "
    "time" },
  [PLOT_SERIES_DUPACK] = { { COL_INT, COL_INT }, "time_s rel_ack n",
    "duplicate acknowledgements (RFC 5681 2); n counts them in a row" },
  [PLOT_SERIES_CWND] = { { COL_INT, COL_INT }, "time_s bytes",
    "congestion window, at each change" },
  [PLOT_SERIES_SSTHRESH] = { { COL_INT, COL_INT }, "time_s bytes",
    "slow-start threshold, at each change, once finite" },
  [PLOT_SERIES_FLIGHT] = { { COL_INT, COL_INT }, "time_s bytes",
    "bytes sent and not yet acknowledged, at each change" },
  [PLOT_SERIES_RWND] = { { COL_INT, COL_INT }, "time_s bytes",
    "window offered by the receiver (scaled), at each change" },
  [PLOT_SERIES_RTT_SAMPLE] = { { COL_MS, COL_INT }, "time_s ms",
    "round-trip time measurements" },
  [PLOT_SERIES_SRTT] = { { COL_MS, COL_INT }, "time_s ms",
    "smoothed round-trip time (RFC 6298), at each change" },
  [PLOT_SERIES_RTO] = { { COL_MS, COL_INT }, "time_s ms",
    "retransmission timeout, at each change" },
  [PLOT_SERIES_GOODPUT] = { { COL_SECONDS, COL_INT },
    "bin_start_s bin_end_s bit_per_s",
    "bytes the receiver got in order for the first time, per bin" },
  [PLOT_SERIES_THROUGHPUT] = { { COL_SECONDS, COL_INT },
    "bin_start_s bin_end_s bit_per_s",
    "every data byte that reached the receiver, per bin" },
};

static void
append_value (GString *out, ColKind kind, gint64 value)
{
  g_string_append_c (out, ' ');
  switch (kind)
    {
    case COL_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
      break;
    case COL_SECONDS:
      append_seconds (out, value);
      break;
    case COL_MS:
      append_ms (out, value);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* One block: "# [name] what", "# columns", the points, two blank lines
 * (gnuplot's separator between data sets). */
static void
dat_block (GString *out, const char *name, const char *what,
           const char *columns, const GArray *points, guint n_values,
           const ColKind kinds[2])
{
  g_string_append_printf (out, "# [%s] %s\n# %s\n", name, what, columns);
  for (guint i = 0; i < points->len; i++)
    {
      const PlotPoint *p = &g_array_index (points, PlotPoint, i);

      append_seconds (out, p->t_ns);
      for (guint v = 0; v < n_values; v++)
        append_value (out, kinds[v], p->v[v]);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "\n\n");
}

/* The series of each per-flow view, in the order of their blocks. */
static const PlotSeriesId tseq_series[] = {
  PLOT_SERIES_SEG, PLOT_SERIES_REXMIT_RTO, PLOT_SERIES_REXMIT,
  PLOT_SERIES_ACK, PLOT_SERIES_WIN, PLOT_SERIES_SACK, PLOT_SERIES_DROP,
  PLOT_SERIES_DUPACK,
};
static const PlotSeriesId cwnd_series[] = {
  PLOT_SERIES_CWND, PLOT_SERIES_SSTHRESH, PLOT_SERIES_FLIGHT,
  PLOT_SERIES_RWND,
};
static const PlotSeriesId rtt_series[] = {
  PLOT_SERIES_RTT_SAMPLE, PLOT_SERIES_SRTT, PLOT_SERIES_RTO,
};
static const PlotSeriesId goodput_series[] = {
  PLOT_SERIES_GOODPUT, PLOT_SERIES_THROUGHPUT,
};

static const PlotSeriesId *
view_series (GnuplotView view, guint *n)
{
  switch (view)
    {
    case GNUPLOT_VIEW_TSEQ:
      *n = G_N_ELEMENTS (tseq_series);
      return tseq_series;
    case GNUPLOT_VIEW_CWND:
      *n = G_N_ELEMENTS (cwnd_series);
      return cwnd_series;
    case GNUPLOT_VIEW_RTT:
      *n = G_N_ELEMENTS (rtt_series);
      return rtt_series;
    case GNUPLOT_VIEW_GOODPUT:
      *n = G_N_ELEMENTS (goodput_series);
      return goodput_series;
    case GNUPLOT_VIEW_QUEUE:
    case GNUPLOT_VIEW_OVERLAY:
    case GNUPLOT_N_VIEWS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
flow_dat_text (const PlotFlow *flow, GnuplotView view)
{
  GString *out = g_string_new (NULL);
  const PlotSeriesId *ids;
  guint n;

  ids = view_series (view, &n);
  g_string_append_printf (out, "# %s of %s, written by tcpsim from "
                          "trace.jsonl.\n# Blocks are separated by two "
                          "blank lines; gnuplot selects one with index "
                          "'[name]'.\n\n", view_names[view], flow->name);
  for (guint i = 0; i < n; i++)
    dat_block (out, plot_series_name (ids[i]), series_format[ids[i]].what,
               series_format[ids[i]].columns, flow->series[ids[i]],
               plot_series_n_values (ids[i]), series_format[ids[i]].kinds);
  return g_string_free (out, FALSE);
}

static gboolean
write_file (const char *dir, const char *name, const char *text,
            GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

gboolean
gnuplot_write_flow_dat (const PlotFlow *flow, GnuplotView view,
                        const char *path, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (flow != NULL, FALSE);
  g_return_val_if_fail (view <= GNUPLOT_VIEW_GOODPUT, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = flow_dat_text (flow, view);
  return g_file_set_contents (path, text, -1, error);
}

/* Script headers. */

/* A gnuplot single-quoted string: a quote is written twice, and a line
 * break, which would end the command, becomes a space. */
static void
append_quoted (GString *out, const char *text)
{
  g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p == '\n' || *p == '\r' ? ' ' : *p);
    }
  g_string_append_c (out, '\'');
}

static void
append_assign (GString *out, const char *name, const char *value)
{
  g_string_append_printf (out, "%s = ", name);
  append_quoted (out, value);
  g_string_append_c (out, '\n');
}

/* The smallest and largest x (ns) and y of a plot's points. */
typedef struct {
  gboolean any;
  SimTime x_min_ns;
  SimTime x_max_ns;
  gint64 y_min;
  gint64 y_max;
} Extent;

static void
extent_add (Extent *e, SimTime x_ns, gint64 y)
{
  if (!e->any)
    {
      *e = (Extent) { TRUE, x_ns, x_ns, y, y };
      return;
    }
  e->x_min_ns = MIN (e->x_min_ns, x_ns);
  e->x_max_ns = MAX (e->x_max_ns, x_ns);
  e->y_min = MIN (e->y_min, y);
  e->y_max = MAX (e->y_max, y);
}

/* The y values a point draws: for a time-sequence bar both ends, for a
 * goodput bin its rate (and its end as a second x). */
static void
extent_add_point (Extent *e, PlotSeriesId id, const PlotPoint *p)
{
  switch (id)
    {
    case PLOT_SERIES_SEG:
    case PLOT_SERIES_REXMIT_RTO:
    case PLOT_SERIES_REXMIT:
    case PLOT_SERIES_SACK:
    case PLOT_SERIES_DROP:
      extent_add (e, p->t_ns, p->v[0]);
      extent_add (e, p->t_ns, p->v[1]);
      break;
    case PLOT_SERIES_GOODPUT:
    case PLOT_SERIES_THROUGHPUT:
      extent_add (e, p->t_ns, p->v[1]);
      extent_add (e, p->v[0], p->v[1]);
      break;
    default:
      extent_add (e, p->t_ns, p->v[0]);
      break;
    }
}

static void
extent_add_series (Extent *e, PlotSeriesId id, const GArray *points)
{
  for (guint i = 0; i < points->len; i++)
    extent_add_point (e, id, &g_array_index (points, PlotPoint, i));
}

static void
append_x_range (GString *out, SimTime min_ns, SimTime max_ns)
{
  g_string_append (out, "auto_xmin = ");
  append_seconds (out, min_ns);
  g_string_append (out, "; auto_xmax = ");
  append_seconds (out, max_ns);
  g_string_append_c (out, '\n');
}

typedef enum {
  Y_FREE,                       /* autoscaled both ways */
  Y_FROM_ZERO,                  /* the template sets [0:*] */
  Y_LOG_MS,                     /* logarithmic, values in ns shown as ms */
} YAxis;

/* Writes auto_xmin/auto_xmax and auto_ymin/auto_ymax when gnuplot would
 * find the range empty (all points at one time, or one value) and warn.
 * The templates prefer xmin/xmax and ymin/ymax, which are the user's
 * (gnuplot -e), so these have other names. */
static void
append_ranges (GString *out, const Extent *e, YAxis y_axis)
{
  g_string_append (out, "undefine auto_xmin auto_xmax auto_ymin auto_ymax "
                   "note\n");
  if (!e->any)
    return;
  if (e->x_min_ns == e->x_max_ns)
    append_x_range (out, e->x_min_ns - MAX (MIN_X_PAD_NS, e->x_min_ns / 20),
                    e->x_max_ns + MAX (MIN_X_PAD_NS, e->x_max_ns / 20));
  switch (y_axis)
    {
    case Y_FREE:
      if (e->y_min == e->y_max)
        g_string_append_printf (out, "auto_ymin = %" G_GINT64_FORMAT
                                "; auto_ymax = %" G_GINT64_FORMAT "\n",
                                e->y_min - MAX (1, e->y_min / 10),
                                e->y_max + MAX (1, e->y_max / 10));
      break;
    case Y_FROM_ZERO:
      if (e->y_max <= 0)
        g_string_append (out, "auto_ymin = 0; auto_ymax = 1\n");
      break;
    case Y_LOG_MS:
      if (e->y_min == e->y_max)
        {
          g_string_append (out, "auto_ymin = ");
          append_ms (out, MAX (e->y_min / 2, 1));
          g_string_append (out, "; auto_ymax = ");
          append_ms (out, MAX (e->y_max * 2, 2));
          g_string_append_c (out, '\n');
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The y range of a time-sequence graph, from the extents of what it
 * draws besides the window line (@data) and of the window line (@win).
 * A window edge far above the data (a receiver that never limits the
 * sender) would squash everything else into the bottom of the plot, so
 * the range then stops above the data and a note says where the edge
 * is.  With @always, a range is written in every case (gnuplot
 * autoscales over every point, in the x range or not). */
static void
tseq_y_range (GString *gp, const Extent *data, const Extent *win,
              gboolean always)
{
  gint64 y_min;
  gint64 y_max;

  if (!data->any && !win->any)
    return;
  if (data->any && win->any && data->y_max > 0
      && win->y_max > 3 * data->y_max)
    {
      y_min = data->y_min;
      y_max = data->y_max + data->y_max / 2;
      g_string_append_printf (gp, "note = 'window edge above the plot, up "
                              "to %" G_GINT64_FORMAT "'\n", win->y_max);
    }
  else if (always)
    {
      y_min = data->any ? data->y_min : win->y_min;
      y_max = data->any ? data->y_max : win->y_max;
      if (win->any)
        {
          y_min = MIN (y_min, win->y_min);
          y_max = MAX (y_max, win->y_max);
        }
    }
  else
    return;
  y_min = MAX (0, y_min - MAX (1, (y_max - y_min) / 20));
  y_max += MAX (1, (y_max - y_min) / 20);
  g_string_append_printf (gp, "auto_ymin = %" G_GINT64_FORMAT
                          "; auto_ymax = %" G_GINT64_FORMAT "\n", y_min,
                          y_max);
}

/* The header every generated script starts with: what it draws, the
 * files, the title.  `reset` and the assignments make each script stand
 * alone even when several run in one gnuplot session. */
static void
script_header (GString *out, GnuplotView view, const char *stem,
               const char *title)
{
  g_autofree char *dat = g_strconcat (stem, ".dat", NULL);

  g_string_append_printf (out,
                          "# %s.gp: %s.\n"
                          "# Written by tcpsim from trace.jsonl: this "
                          "header, then the template %s.gp.\n"
                          "reset\n",
                          stem, title, view_names[view]);
  append_assign (out, "dat", dat);
  append_assign (out, "out", stem);
  append_assign (out, "plot_title", title);
}

/* The name in "index '[NAME]'" on @line, or NULL. */
static char *
clause_block (const char *line)
{
  const char *start = strstr (line, "index '[");
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("index '[");
  end = strstr (start, "]'");
  return end != NULL ? g_strndup (start, end - start) : NULL;
}

/* Appends @template, leaving out of its plot command the clauses (one per
 * line, "dat index '[NAME]' ...") whose NAME is not in @keep.  An empty
 * series would make gnuplot warn "Skipping data file with no valid
 * points", and it warns even for a clause in an empty iteration. */
static void
append_template (GString *out, const char *template, GHashTable *keep)
{
  g_auto (GStrv) lines = g_strsplit (template, "\n", -1);
  guint i = 0;

  while (lines[i] != NULL)
    {
      const char *text = lines[i];
      const char *plot = text + strspn (text, " ");
      g_autoptr (GPtrArray) kept = NULL;
      gsize indent = plot - text;

      if (!g_str_has_prefix (plot, "plot "))
        {
          g_string_append (out, text);
          if (lines[++i] != NULL)
            g_string_append_c (out, '\n');
          continue;
        }
      /* One clause per line, joined by ", \"; the last has neither. */
      kept = g_ptr_array_new_with_free_func (g_free);
      for (;;)
        {
          const char *clause = lines[i] + strspn (lines[i], " ");
          gboolean more = g_str_has_suffix (clause, "\\");
          g_autofree char *block = clause_block (clause);
          char *body;

          if (g_str_has_prefix (clause, "plot "))
            clause += strlen ("plot ");
          body = g_strdup (clause);
          if (more)
            {
              /* Drop the ", \" that joins it to the next clause. */
              body[strlen (body) - 1] = '\0';
              g_strchomp (body);
              if (g_str_has_suffix (body, ","))
                body[strlen (body) - 1] = '\0';
            }
          if (block == NULL || g_hash_table_contains (keep, block))
            g_ptr_array_add (kept, body);
          else
            g_free (body);
          i++;
          if (!more || lines[i] == NULL)
            break;
        }
      g_assert (kept->len > 0);
      for (guint k = 0; k < kept->len; k++)
        {
          g_string_append_printf (out, "%*s%s%s", (int) indent, "",
                                  k == 0 ? "plot " : "     ",
                                  (char *) kept->pdata[k]);
          g_string_append (out, k + 1 < kept->len ? ", \\\n" : "");
        }
      if (lines[i] != NULL)
        g_string_append_c (out, '\n');
    }
}

static gboolean
write_script (const char *outdir, const char *stem, GString *header,
              GnuplotView view, GHashTable *keep, GError **error)
{
  g_autofree char *name = g_strconcat (stem, ".gp", NULL);

  g_string_append_c (header, '\n');
  append_template (header, gnuplot_view_template (view), keep);
  return write_file (outdir, name, header->str, error);
}

/* Stems. */

static char *
sanitize (const char *text)
{
  char *s = g_strdup (text);

  for (char *p = s; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '_';
  return s;
}

/* Returns: (transfer full): @base, or @base-2, -3... when taken. */
static char *
unique_stem (GHashTable *taken, const char *base)
{
  char *stem = g_strdup (base);

  for (guint n = 2; g_hash_table_contains (taken, stem); n++)
    {
      g_free (stem);
      stem = g_strdup_printf ("%s-%u", base, n);
    }
  g_hash_table_add (taken, g_strdup (stem));
  return stem;
}

static char *
endpoint_label (const char *node, Ipv4Addr addr, guint16 port)
{
  char a[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (addr, a);
  return g_strdup_printf ("%s:%u", node != NULL ? node : a, port);
}

/* Per-flow plots. */

static const char *const view_titles[GNUPLOT_N_VIEWS] = {
  [GNUPLOT_VIEW_TSEQ] = "time-sequence graph (at the sender)",
  [GNUPLOT_VIEW_CWND] = "congestion window (sender)",
  [GNUPLOT_VIEW_RTT] = "round-trip time and RTO (sender)",
  [GNUPLOT_VIEW_GOODPUT] = "goodput (at the receiver)",
  [GNUPLOT_VIEW_QUEUE] = "queue length",
  [GNUPLOT_VIEW_OVERLAY] = "overlay",
};

/* bit/s per unit of the goodput axis: the largest of 1, 1e3, 1e6, 1e9
 * not above the highest rate. */
static void
rate_unit (gint64 max_bps, const char **name, const char **scale)
{
  static const struct {
    gint64 bps;
    const char *name;
    const char *scale;
  } units[] = {
    { 1000000000, "Gbit/s", "1e9" },
    { 1000000, "Mbit/s", "1e6" },
    { 1000, "kbit/s", "1e3" },
  };

  *name = "bit/s";
  *scale = "1";
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (max_bps >= units[i].bps)
      {
        *name = units[i].name;
        *scale = units[i].scale;
        return;
      }
}

static gboolean
view_has_points (const PlotFlow *flow, GnuplotView view)
{
  const PlotSeriesId *ids;
  guint n;

  ids = view_series (view, &n);
  for (guint i = 0; i < n; i++)
    if (flow->series[ids[i]]->len > 0)
      return TRUE;
  return FALSE;
}

static GnuplotScript *
write_flow_view (const PlotFlow *flow, GnuplotView view, const char *outdir,
                 const char *stem, const char *who, GError **error)
{
  g_autoptr (GString) gp = g_string_new (NULL);
  g_autoptr (GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  g_autofree char *dat_name = g_strconcat (stem, ".dat", NULL);
  g_autofree char *dat = flow_dat_text (flow, view);
  const PlotSeriesId *ids;
  Extent extent = { 0 };
  YAxis y_axis = Y_FREE;
  guint n;

  if (view == GNUPLOT_VIEW_GOODPUT)
    {
      g_autoptr (GString) bin = g_string_new (NULL);

      /* "50 ms" rather than "50.000000 ms". */
      append_ms (bin, flow->bin_ns);
      while (bin->str[bin->len - 1] == '0')
        g_string_truncate (bin, bin->len - 1);
      if (bin->str[bin->len - 1] == '.')
        g_string_truncate (bin, bin->len - 1);
      title = g_strdup_printf ("%s: %s, bins of %s ms", who,
                               view_titles[view], bin->str);
    }
  else
    title = g_strdup_printf ("%s: %s", who, view_titles[view]);

  script_header (gp, view, stem, title);
  ids = view_series (view, &n);
  for (guint i = 0; i < n; i++)
    {
      if (flow->series[ids[i]]->len > 0)
        g_hash_table_add (keep, (gpointer) plot_series_name (ids[i]));
      extent_add_series (&extent, ids[i], flow->series[ids[i]]);
    }
  switch (view)
    {
    case GNUPLOT_VIEW_TSEQ:
      y_axis = Y_FREE;
      break;
    case GNUPLOT_VIEW_CWND:
      y_axis = Y_FROM_ZERO;
      break;
    case GNUPLOT_VIEW_RTT:
      y_axis = Y_LOG_MS;
      break;
    case GNUPLOT_VIEW_GOODPUT:
      {
        const char *unit;
        const char *scale;

        y_axis = Y_FROM_ZERO;
        rate_unit (extent.any ? extent.y_max : 0, &unit, &scale);
        append_assign (gp, "unit_name", unit);
        g_string_append_printf (gp, "scale = %s\n", scale);
        break;
      }
    case GNUPLOT_VIEW_QUEUE:
    case GNUPLOT_VIEW_OVERLAY:
    case GNUPLOT_N_VIEWS:
    default:
      g_assert_not_reached ();
    }
  append_ranges (gp, &extent, y_axis);
  if (view == GNUPLOT_VIEW_TSEQ)
    {
      Extent data = { 0 };
      Extent win = { 0 };

      for (guint i = 0; i < n; i++)
        extent_add_series (ids[i] == PLOT_SERIES_WIN ? &win : &data, ids[i],
                           flow->series[ids[i]]);
      tseq_y_range (gp, &data, &win, FALSE);
    }
  if (!write_file (outdir, dat_name, dat, error)
      || !write_script (outdir, stem, gp, view, keep, error))
    return NULL;
  return script_new (view, stem, title, flow->name);
}

/* The part of a time-sequence graph around the first loss, where a
 * whole transfer's graph is too coarse to show segments: from two RTTs
 * before the first lost segment was sent to four RTTs after the first
 * retransmission that follows it (a timeout may come much later than
 * the loss).  Returns FALSE when the flow lost nothing, or when the part
 * would be a third of the whole or more. */
static gboolean
zoom_range (const PlotFlow *flow, SimTime *from_ns, SimTime *to_ns)
{
  const GArray *lost = flow->series[PLOT_SERIES_DROP];
  const GArray *srtt = flow->series[PLOT_SERIES_SRTT];
  const GArray *samples = flow->series[PLOT_SERIES_RTT_SAMPLE];
  const PlotSeriesId rexmits[] = {
    PLOT_SERIES_REXMIT_RTO, PLOT_SERIES_REXMIT,
  };
  SimTime t0_ns = SIM_TIME_NEVER;
  SimTime resent_ns = SIM_TIME_NEVER;
  SimTime rtt_ns = SIM_MS (100);

  if (lost->len > 0)
    t0_ns = g_array_index (lost, PlotPoint, 0).t_ns;
  for (guint r = 0; r < G_N_ELEMENTS (rexmits); r++)
    {
      const GArray *a = flow->series[rexmits[r]];

      if (a->len > 0)
        t0_ns = MIN (t0_ns, g_array_index (a, PlotPoint, 0).t_ns);
    }
  if (t0_ns == SIM_TIME_NEVER)
    return FALSE;
  /* The RTT of the moment: the last SRTT before the loss, else the first
   * sample. */
  if (samples->len > 0)
    rtt_ns = g_array_index (samples, PlotPoint, 0).v[0];
  for (guint i = 0; i < srtt->len; i++)
    if (g_array_index (srtt, PlotPoint, i).t_ns <= t0_ns)
      rtt_ns = g_array_index (srtt, PlotPoint, i).v[0];
  rtt_ns = MAX (rtt_ns, SIM_US (1));
  for (guint r = 0; r < G_N_ELEMENTS (rexmits); r++)
    {
      const GArray *a = flow->series[rexmits[r]];

      for (guint i = 0; i < a->len; i++)
        if (g_array_index (a, PlotPoint, i).t_ns > t0_ns)
          {
            resent_ns = MIN (resent_ns, g_array_index (a, PlotPoint, i).t_ns);
            break;
          }
    }
  if (resent_ns == SIM_TIME_NEVER)
    resent_ns = t0_ns;
  *from_ns = MAX (flow->first_ns, t0_ns - 2 * rtt_ns);
  *to_ns = MIN (flow->last_ns, resent_ns + 4 * rtt_ns);
  return *to_ns > *from_ns
         && (*to_ns - *from_ns) * 3 < flow->last_ns - flow->first_ns;
}

/* A second script over the data of the time-sequence graph @full_stem,
 * drawing only the zoom_range(). */
static GnuplotScript *
write_tseq_zoom (const PlotFlow *flow, const char *outdir,
                 const char *full_stem, const char *stem, const char *who,
                 SimTime from_ns, SimTime to_ns, GError **error)
{
  static const PlotSeriesId ids[] = {
    PLOT_SERIES_SEG, PLOT_SERIES_REXMIT_RTO, PLOT_SERIES_REXMIT,
    PLOT_SERIES_ACK, PLOT_SERIES_WIN, PLOT_SERIES_SACK, PLOT_SERIES_DROP,
    PLOT_SERIES_DUPACK,
  };
  g_autoptr (GString) gp = g_string_new (NULL);
  g_autoptr (GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *dat = g_strconcat (full_stem, ".dat", NULL);
  g_autofree char *title = g_strdup_printf ("%s: time-sequence graph around "
                                            "the first loss", who);
  Extent data = { 0 };
  Extent win = { 0 };

  g_string_append_printf (gp,
                          "# %s.gp: %s.\n"
                          "# Written by tcpsim from trace.jsonl: this "
                          "header, then the template tseq.gp.\n"
                          "# The data are those of %s.gp.\n"
                          "reset\n",
                          stem, title, full_stem);
  append_assign (gp, "dat", dat);
  append_assign (gp, "out", stem);
  append_assign (gp, "plot_title", title);
  g_string_append (gp, "undefine auto_xmin auto_xmax auto_ymin auto_ymax "
                   "note\n");
  append_x_range (gp, from_ns, to_ns);
  /* Series without a point in the range would make gnuplot warn.  The y
   * range is computed here: gnuplot autoscales over every point, inside
   * the x range or not.  A stair (ACK, window) entering the range from
   * the left counts with its value there. */
  for (guint s = 0; s < G_N_ELEMENTS (ids); s++)
    {
      const GArray *a = flow->series[ids[s]];
      gboolean stair = ids[s] == PLOT_SERIES_ACK || ids[s] == PLOT_SERIES_WIN;

      for (guint i = 0; i < a->len; i++)
        {
          const PlotPoint *p = &g_array_index (a, PlotPoint, i);
          gboolean entering = stair && p->t_ns < from_ns
                              && (i + 1 == a->len
                                  || g_array_index (a, PlotPoint,
                                                    i + 1).t_ns >= from_ns);

          if (p->t_ns > to_ns || (p->t_ns < from_ns && !entering))
            continue;
          if (!entering)
            g_hash_table_add (keep, (gpointer) plot_series_name (ids[s]));
          extent_add_point (ids[s] == PLOT_SERIES_WIN ? &win : &data, ids[s],
                            p);
        }
    }
  tseq_y_range (gp, &data, &win, TRUE);
  if (!write_script (outdir, stem, gp, GNUPLOT_VIEW_TSEQ, keep, error))
    return NULL;
  return script_new (GNUPLOT_VIEW_TSEQ, stem, title, flow->name);
}

/* Queue plots. */

static void
queue_dat (GString *out, const char *link, const PlotLinkDir *dirs[2])
{
  static const ColKind kinds[2] = { COL_INT, COL_INT };
  g_autoptr (GArray) empty = g_array_new (FALSE, FALSE, sizeof (PlotPoint));

  g_string_append_printf (out, "# queue of link %s, written by tcpsim from "
                          "trace.jsonl.\n# Blocks are separated by two "
                          "blank lines; gnuplot selects one with index "
                          "'[name]'.\n\n", link);
  for (guint d = 0; d < 2; d++)
    {
      const char *label = dirs[d] != NULL ? dirs[d]->dir : "(none)";
      g_autofree char *qname = g_strdup_printf ("queue%u", d);
      g_autofree char *dname = g_strdup_printf ("drops%u", d);
      g_autofree char *qwhat = NULL;
      g_autofree char *dwhat = NULL;

      qwhat = g_strdup_printf ("packets waiting in direction %s, at each "
                               "change", label);
      dwhat = g_strdup_printf ("packets direction %s refused (queue full), "
                               "with the length they found", label);
      dat_block (out, qname, qwhat, "time_s packets",
                 dirs[d] != NULL ? dirs[d]->queue : empty, 1, kinds);
      dat_block (out, dname, dwhat, "time_s packets",
                 dirs[d] != NULL ? dirs[d]->drops : empty, 1, kinds);
    }
}

static GnuplotScript *
write_queue_view (const char *link, const PlotLinkDir *dirs[2],
                  const char *outdir, const char *stem, GError **error)
{
  g_autoptr (GString) gp = g_string_new (NULL);
  g_autoptr (GString) dat = g_string_new (NULL);
  g_autofree char *dat_name = g_strconcat (stem, ".dat", NULL);
  g_autofree char *title = g_strdup_printf ("link %s: queue length", link);
  g_autoptr (GHashTable) keep = g_hash_table_new_full (g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);
  Extent extent = { 0 };

  queue_dat (dat, link, dirs);
  script_header (gp, GNUPLOT_VIEW_QUEUE, stem, title);
  for (guint d = 0; d < 2; d++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "dir%u", d);
      append_assign (gp, name, dirs[d] != NULL ? dirs[d]->dir : "");
      if (dirs[d] == NULL)
        continue;
      if (dirs[d]->queue->len > 0)
        g_hash_table_add (keep, g_strdup_printf ("queue%u", d));
      if (dirs[d]->drops->len > 0)
        g_hash_table_add (keep, g_strdup_printf ("drops%u", d));
      for (guint i = 0; i < dirs[d]->queue->len; i++)
        {
          const PlotPoint *p = &g_array_index (dirs[d]->queue, PlotPoint, i);

          extent_add (&extent, p->t_ns, p->v[0]);
        }
    }
  append_ranges (gp, &extent, Y_FROM_ZERO);
  if (!write_file (outdir, dat_name, dat->str, error)
      || !write_script (outdir, stem, gp, GNUPLOT_VIEW_QUEUE, keep, error))
    return NULL;
  return script_new (GNUPLOT_VIEW_QUEUE, stem, title, link);
}

GPtrArray *
gnuplot_write_views (const PlotData *pd, const char *outdir,
                     const GnuplotOptions *options, GError **error)
{
  g_autoptr (GPtrArray) scripts = NULL;
  g_autoptr (GHashTable) taken = NULL;
  g_autoptr (GPtrArray) links = NULL;
  GnuplotOptions defaults;
  guint n_flows = 0;

  g_return_val_if_fail (pd != NULL, NULL);
  g_return_val_if_fail (outdir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      gnuplot_options_init (&defaults);
      options = &defaults;
    }
  scripts = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                            gnuplot_script_free);
  taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < plot_data_n_flows (pd); i++)
    {
      const PlotFlow *flow = plot_data_flow (pd, i);
      g_autofree char *src = NULL;
      g_autofree char *dst = NULL;
      g_autofree char *who = NULL;
      g_autofree char *base = NULL;
      SimTime from_ns;
      SimTime to_ns;

      if (flow->data_bytes == 0)
        continue;
      if (options->max_flows != 0 && n_flows == options->max_flows)
        break;
      n_flows++;
      src = endpoint_label (flow->src_node, flow->src, flow->sport);
      dst = endpoint_label (flow->dst_node, flow->dst, flow->dport);
      who = g_strdup_printf ("%s -> %s", src, dst);
      {
        g_autofree char *s = g_strdup_printf ("%s-%s", src, dst);

        /* "client:49152" reads as "client.49152" in a file name. */
        for (char *p = s; *p != '\0'; p++)
          if (*p == ':')
            *p = '.';
        base = sanitize (s);
      }
      for (GnuplotView v = GNUPLOT_VIEW_TSEQ; v <= GNUPLOT_VIEW_GOODPUT; v++)
        {
          g_autofree char *name = NULL;
          g_autofree char *stem = NULL;
          GnuplotScript *script;

          if (!view_has_points (flow, v))
            continue;
          name = g_strdup_printf ("%s-%s", view_names[v], base);
          stem = unique_stem (taken, name);
          script = write_flow_view (flow, v, outdir, stem, who, error);
          if (script == NULL)
            return NULL;
          g_ptr_array_add (scripts, script);
          if (v == GNUPLOT_VIEW_TSEQ && zoom_range (flow, &from_ns, &to_ns))
            {
              g_autofree char *zname = g_strdup_printf ("tseq-zoom-%s", base);
              g_autofree char *zstem = unique_stem (taken, zname);

              script = write_tseq_zoom (flow, outdir, stem, zstem, who,
                                        from_ns, to_ns, error);
              if (script == NULL)
                return NULL;
              g_ptr_array_add (scripts, script);
            }
        }
    }

  /* Links, in the order of their first packet; each plot holds both
   * directions. */
  links = g_ptr_array_new ();
  for (guint i = 0; i < plot_data_n_link_dirs (pd); i++)
    {
      const PlotLinkDir *d = plot_data_link_dir (pd, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < links->len && !seen; j++)
        seen = strcmp (links->pdata[j], d->link) == 0;
      if (!seen)
        g_ptr_array_add (links, d->link);
    }
  for (guint j = 0; j < links->len; j++)
    {
      const PlotLinkDir *dirs[2] = { NULL, NULL };
      g_autofree char *name = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *base = NULL;
      GnuplotScript *script;

      if (options->max_links != 0 && j == options->max_links)
        break;
      for (guint i = 0; i < plot_data_n_link_dirs (pd); i++)
        {
          const PlotLinkDir *d = plot_data_link_dir (pd, i);

          if (strcmp (d->link, links->pdata[j]) != 0)
            continue;
          if (dirs[0] == NULL)
            dirs[0] = d;
          else if (dirs[1] == NULL)
            dirs[1] = d;
        }
      base = sanitize (links->pdata[j]);
      name = g_strdup_printf ("queue-%s", base);
      stem = unique_stem (taken, name);
      script = write_queue_view (links->pdata[j], dirs, outdir, stem, error);
      if (script == NULL)
        return NULL;
      g_ptr_array_add (scripts, script);
    }
  return g_steal_pointer (&scripts);
}

/* Running gnuplot. */

char *
gnuplot_find_program (void)
{
  const char *name = g_getenv ("TCPSIM_GNUPLOT");

  if (name == NULL || name[0] == '\0')
    name = "gnuplot";
  if (strchr (name, G_DIR_SEPARATOR) != NULL)
    return g_file_test (name, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (name)
                                                         : NULL;
  return g_find_program_in_path (name);
}

typedef struct {
  const char *program;
  const char *outdir;
  char *script;                 /* STEM.gp */
  char *commands;               /* (nullable): for -e */
  char *out;                    /* stdout */
  char *err;                    /* stderr, or why it failed */
  gboolean ok;
} Job;

static void
job_clear (Job *job)
{
  g_free (job->script);
  g_free (job->commands);
  g_free (job->out);
  g_free (job->err);
}

/* Runs one gnuplot, reading no initialisation file (-d), so that a
 * user's ~/.gnuplot changes no output. */
static void
job_run (Job *job)
{
  const char *argv[6];
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  guint argc = 0;

  argv[argc++] = job->program;
  argv[argc++] = "-d";
  if (job->commands != NULL)
    {
      argv[argc++] = "-e";
      argv[argc++] = job->commands;
    }
  argv[argc++] = job->script;
  argv[argc] = NULL;
  /* Numbers in tic labels must not follow the user's locale. */
  envp = g_environ_setenv (envp, "LC_NUMERIC", "C", TRUE);
  if (!g_spawn_sync (job->outdir, (char **) argv, envp, G_SPAWN_DEFAULT,
                     NULL, NULL, &job->out, &job->err, &wait_status, &error))
    {
      g_free (job->err);
      job->err = g_strdup (error->message);
      return;
    }
  if (!g_spawn_check_wait_status (wait_status, &error))
    {
      g_autofree char *text = job->err;

      job->err = g_strdup_printf ("%s%s", text, error->message);
      return;
    }
  job->ok = job->err[0] == '\0';
}

static void
job_thread (gpointer data, gpointer user_data)
{
  (void) user_data;
  job_run (data);
}

/* Runs every job, several at a time; errors are reported in job order,
 * so that the message does not depend on scheduling. */
static gboolean
jobs_run (Job *jobs, guint n_jobs, GError **error)
{
  g_autoptr (GString) failed = g_string_new (NULL);
  guint max_threads = MAX (1u, MIN (g_get_num_processors (), n_jobs));

  if (n_jobs == 1)
    job_run (&jobs[0]);
  else if (n_jobs > 1)
    {
      GThreadPool *pool = g_thread_pool_new (job_thread, NULL,
                                             (gint) max_threads, TRUE, NULL);

      for (guint i = 0; i < n_jobs; i++)
        g_thread_pool_push (pool, &jobs[i], NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
    }
  for (guint i = 0; i < n_jobs; i++)
    if (!jobs[i].ok)
      {
        g_string_append_printf (failed, "%sgnuplot %s: %s",
                                failed->len > 0 ? "\n" : "", jobs[i].script,
                                jobs[i].err != NULL ? jobs[i].err : "");
        while (failed->len > 0 && failed->str[failed->len - 1] == '\n')
          g_string_truncate (failed, failed->len - 1);
      }
  if (failed->len > 0)
    {
      g_set_error (error, GNUPLOT_ERROR, GNUPLOT_ERROR_FAILED, "%s",
                   failed->str);
      return FALSE;
    }
  return TRUE;
}

static char *
program_or_error (GError **error)
{
  char *program = gnuplot_find_program ();

  if (program == NULL)
    g_set_error (error, GNUPLOT_ERROR, GNUPLOT_ERROR_NOT_FOUND,
                 "gnuplot not found (install gnuplot, or set "
                 "TCPSIM_GNUPLOT); the .gp scripts and .dat files are "
                 "written, run 'gnuplot FILE.gp' to draw them");
  return program;
}

gboolean
gnuplot_render (const char *outdir, const GPtrArray *scripts,
                GError **error)
{
  g_autofree char *program = NULL;
  g_autofree Job *jobs = NULL;
  gboolean ok;

  g_return_val_if_fail (outdir != NULL, FALSE);
  g_return_val_if_fail (scripts != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (scripts->len == 0)
    return TRUE;
  program = program_or_error (error);
  if (program == NULL)
    return FALSE;
  jobs = g_new0 (Job, scripts->len);
  for (guint i = 0; i < scripts->len; i++)
    {
      const GnuplotScript *s = scripts->pdata[i];

      jobs[i].program = program;
      jobs[i].outdir = outdir;
      jobs[i].script = g_strconcat (s->stem, ".gp", NULL);
    }
  ok = jobs_run (jobs, scripts->len, error);
  for (guint i = 0; i < scripts->len; i++)
    job_clear (&jobs[i]);
  return ok;
}

char *
gnuplot_render_dumb (const char *outdir, const GnuplotScript *script,
                     guint cols, guint rows, GError **error)
{
  g_autofree char *program = NULL;
  Job job = { 0 };
  char *text = NULL;

  g_return_val_if_fail (outdir != NULL, NULL);
  g_return_val_if_fail (script != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  program = program_or_error (error);
  if (program == NULL)
    return NULL;
  job.program = program;
  job.outdir = outdir;
  job.script = g_strconcat (script->stem, ".gp", NULL);
  job.commands = g_strdup_printf ("formats='dumb'; cols=%u; rows=%u",
                                  MAX (cols, 20u), MAX (rows, 10u));
  if (jobs_run (&job, 1, error))
    text = g_steal_pointer (&job.out);
  job_clear (&job);
  return text;
}

/* The size of the terminal @f is, else one that fits a usual window. */
static void
terminal_size (FILE *f, guint *cols, guint *rows)
{
  struct winsize ws;
  int fd = fileno (f);

  *cols = DEFAULT_TERMINAL_COLS;
  *rows = DEFAULT_TERMINAL_ROWS;
  if (fd >= 0 && isatty (fd) && ioctl (fd, TIOCGWINSZ, &ws) == 0
      && ws.ws_col >= 40 && ws.ws_row >= 12)
    {
      *cols = ws.ws_col;
      *rows = MIN (ws.ws_row - 2u, 2u * DEFAULT_TERMINAL_ROWS);
    }
}

gboolean
gnuplot_draw (const PlotData *pd, const char *outdir,
              const GnuplotOptions *options, GError **error)
{
  g_autoptr (GPtrArray) scripts = NULL;
  const GnuplotScript *tseq = NULL;
  g_autofree char *text = NULL;
  GnuplotOptions defaults;
  guint cols;
  guint rows;

  g_return_val_if_fail (pd != NULL && outdir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      gnuplot_options_init (&defaults);
      options = &defaults;
    }
  scripts = gnuplot_write_views (pd, outdir, options, error);
  if (scripts == NULL)
    return FALSE;
  if (!options->render)
    return TRUE;
  if (!gnuplot_render (outdir, scripts, error))
    return FALSE;
  if (options->terminal == NULL)
    return TRUE;
  for (guint i = 0; i < scripts->len && tseq == NULL; i++)
    if (((GnuplotScript *) scripts->pdata[i])->view == GNUPLOT_VIEW_TSEQ)
      tseq = scripts->pdata[i];
  if (tseq == NULL)
    {
      fputs ("(no data was sent: no time-sequence graph to draw)\n",
             options->terminal);
      return TRUE;
    }
  terminal_size (options->terminal, &cols, &rows);
  text = gnuplot_render_dumb (outdir, tseq, cols, rows, error);
  if (text == NULL)
    return FALSE;
  fputs (text, options->terminal);
  return TRUE;
}

/* Overlays. */

GnuplotScript *
gnuplot_write_overlay (const char *dir, const char *stem,
                       const GnuplotOverlaySpec *spec,
                       const GnuplotOverlayLine *lines, guint n_lines,
                       GError **error)
{
  g_autoptr (GString) gp = g_string_new (NULL);
  g_autoptr (GString) plot = g_string_new ("plot ");
  g_auto (GStrv) parts = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (dir != NULL && stem != NULL, NULL);
  g_return_val_if_fail (spec != NULL && spec->title != NULL, NULL);
  g_return_val_if_fail (lines != NULL && n_lines > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_string_append_printf (gp,
                          "# %s.gp: %s.\n"
                          "# Written by tcpsim: this header, then the "
                          "template overlay.gp.\n"
                          "reset\n",
                          stem, spec->title);
  append_assign (gp, "out", stem);
  append_assign (gp, "plot_title", spec->title);
  append_assign (gp, "x_label", spec->x_label != NULL ? spec->x_label : "");
  append_assign (gp, "y_label", spec->y_label != NULL ? spec->y_label : "");
  g_string_append (gp, "undefine auto_xmin auto_xmax auto_ymin auto_ymax\n\n");
  for (guint i = 0; i < n_lines; i++)
    {
      if (i > 0)
        g_string_append (plot, ", \\\n       ");
      append_quoted (plot, lines[i].dat);
      if (lines[i].block != NULL)
        {
          g_autofree char *block = g_strdup_printf ("[%s]", lines[i].block);

          g_string_append (plot, " index ");
          append_quoted (plot, block);
        }
      g_string_append_printf (plot, " using %s with %s lw 1.5 title ",
                              lines[i].columns != NULL ? lines[i].columns
                                                       : "1:2",
                              spec->style != NULL ? spec->style : "lines");
      append_quoted (plot, lines[i].title != NULL ? lines[i].title : "");
    }
  /* The template leaves one line for the plot command. */
  parts = g_strsplit (gnuplot_view_template (GNUPLOT_VIEW_OVERLAY),
                      "{{PLOT}}", 2);
  g_assert (g_strv_length (parts) == 2);
  g_string_append (gp, parts[0]);
  g_string_append (gp, plot->str);
  g_string_append (gp, parts[1]);
  name = g_strconcat (stem, ".gp", NULL);
  if (!write_file (dir, name, gp->str, error))
    return NULL;
  return script_new (GNUPLOT_VIEW_OVERLAY, stem, spec->title, stem);
}
