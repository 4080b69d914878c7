/* report.c: report.html from the files of a run's OUTDIR.
 *
 * report_render() -> list OUTDIR (sorted: GDir order is the file
 * system's) -> head with the inline style sheet -> summary table from
 * summary.json -> sequence.svg inlined -> one figure per plot stem, its
 * SVG (or else PNG) as a data: URI and its caption from the first line
 * of STEM.gp -> links to the other files -> report_write() saves it.
 *
 * Plots go in as <img> with data: URIs rather than inline SVG: gnuplot's
 * SVGs carry their own ids and scripts, which would clash with each other
 * in one document; an image is isolated and runs nothing.  The diagram
 * is ours, has no ids and no script, and is inlined so that its text can
 * be selected and searched.
 */
#include "plots/report.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "plots/summary.h"

/* Plot stems start with the view's name; this is the order a reader
 * wants them in, and the caption when the .gp file gives none. */
static const struct {
  const char *prefix;
  const char *caption;
} plot_kinds[] = {
  { "tseq", "Time-sequence graph" },
  { "cwnd", "Congestion window and slow-start threshold" },
  { "rtt", "RTT samples, SRTT and RTO" },
  { "goodput", "Goodput over time" },
  { "queue", "Queue length over time" },
};

static const char style_sheet[] =
  "body{margin:0;background:#f5f6f8;color:#1f2937;"
  "font:15px/1.5 'DejaVu Sans',Helvetica,Arial,sans-serif}"
  "main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}"
  "h1{font-size:26px;margin:0 0 4px}"
  "h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;"
  "border-bottom:1px solid #d1d5db}"
  "p.lead{margin:0;color:#4b5563}"
  "table{border-collapse:collapse;background:#fff;font-size:13px;"
  "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
  "th,td{padding:5px 10px;border-bottom:1px solid #e5e7eb;"
  "white-space:nowrap}"
  "th{background:#eef0f3;text-align:left;font-weight:600}"
  "td.num{text-align:right;font-variant-numeric:tabular-nums}"
  "tr.total td{font-weight:600;border-top:2px solid #9ca3af}"
  ".scroll{overflow-x:auto}"
  "figure{margin:0 0 24px;background:#fff;padding:12px;"
  "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
  "figure svg,figure img{display:block;max-width:100%;height:auto;"
  "margin:0 auto}"
  "figcaption{margin-top:8px;color:#4b5563;font-size:13px;"
  "text-align:center}"
  "ul.files{columns:3;padding-left:20px}"
  "code{font-family:'DejaVu Sans Mono',Menlo,monospace;font-size:13px}";

static void
append_escaped (GString *s, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (s, escaped);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Returns: (transfer full): the file names of @outdir, sorted. */
static GPtrArray *
list_dir (const char *outdir, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (outdir, 0, error);
  GPtrArray *names;
  const char *name;

  if (dir == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static gboolean
has_name (const GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

/* Summary table. */

static gint64
member_int (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return -1;
  return json_node_get_int (n);
}

static const char *
member_str (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return "";
  return json_node_get_string (n) != NULL ? json_node_get_string (n) : "";
}

static void
cell_num (GString *s, gint64 v)
{
  if (v < 0)
    g_string_append (s, "<td class=\"num\">-</td>");
  else
    g_string_append_printf (s, "<td class=\"num\">%" G_GINT64_FORMAT
                            "</td>", v);
}

static void
cell_text (GString *s, const char *text, gboolean num)
{
  g_string_append (s, num ? "<td class=\"num\">" : "<td>");
  append_escaped (s, text);
  g_string_append (s, "</td>");
}

static void
append_connection_row (GString *s, JsonObject *c)
{
  char buf[SUMMARY_STR_BYTES];
  gint64 goodput = member_int (c, "goodput_bps");
  const char *reason = member_str (c, "close_reason");
  g_autofree char *state = NULL;
  g_autofree char *segs = g_strdup_printf ("%" G_GINT64_FORMAT "/%"
                                           G_GINT64_FORMAT,
                                           member_int (c, "segs_sent"),
                                           member_int (c, "segs_received"));

  /* As the terminal table: a close other than a normal one says why. */
  if (reason[0] != '\0' && strcmp (reason, "normal") != 0)
    state = g_strdup_printf ("%s (%s)", member_str (c, "final_state"),
                             reason);
  else
    state = g_strdup (member_str (c, "final_state"));

  g_string_append (s, "<tr>");
  cell_text (s, member_str (c, "conn"), FALSE);
  cell_text (s, member_str (c, "host"), FALSE);
  cell_text (s, member_str (c, "app"), FALSE);
  cell_num (s, member_int (c, "bytes_sent"));
  cell_num (s, member_int (c, "bytes_received"));
  summary_format_duration (member_int (c, "duration_ns"), buf);
  cell_text (s, buf, TRUE);
  summary_format_rate (goodput < 0 ? -1.0 : (double) goodput, buf);
  cell_text (s, buf, TRUE);
  cell_text (s, segs, TRUE);
  cell_num (s, member_int (c, "retransmits"));
  cell_num (s, member_int (c, "timeouts"));
  cell_num (s, member_int (c, "fast_retransmits"));
  cell_text (s, state, FALSE);
  g_string_append (s, "</tr>\n");
}

static gboolean
append_summary (GString *s, const char *path, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *conns;
  JsonObject *totals;
  char end[SUMMARY_STR_BYTES];

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "%s: not a JSON object", path);
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  conns = json_object_get_array_member (root, "connections");
  totals = json_object_get_object_member (root, "totals");

  summary_format_duration (member_int (root, "end_ns"), end);
  g_string_append_printf (s, "<section id=\"summary\">\n<h2>Summary</h2>\n"
                          "<p>The run ended at %s of simulated time.</p>\n"
                          "<div class=\"scroll\"><table>\n<thead><tr>"
                          "<th>connection</th><th>host</th><th>app</th>"
                          "<th>sent B</th><th>recv B</th><th>duration</th>"
                          "<th>goodput</th><th>segs out/in</th>"
                          "<th>rexmit</th><th>rto</th><th>fast</th>"
                          "<th>state</th></tr></thead>\n<tbody>\n", end);
  for (guint i = 0; conns != NULL && i < json_array_get_length (conns); i++)
    append_connection_row (s, json_array_get_object_element (conns, i));
  if (totals != NULL)
    {
      g_autofree char *segs = NULL;
      g_autofree char *label = NULL;

      segs = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                              member_int (totals, "segs_sent"),
                              member_int (totals, "segs_received"));
      label = g_strdup_printf ("total, %" G_GINT64_FORMAT " endpoint%s",
                               member_int (totals, "endpoints"),
                               member_int (totals, "endpoints") == 1 ? ""
                                                                     : "s");
      g_string_append (s, "<tr class=\"total\">");
      cell_text (s, label, FALSE);
      g_string_append (s, "<td></td><td></td>");
      cell_num (s, member_int (totals, "bytes_sent"));
      cell_num (s, member_int (totals, "bytes_received"));
      g_string_append (s, "<td></td><td></td>");
      cell_text (s, segs, TRUE);
      cell_num (s, member_int (totals, "retransmits"));
      cell_num (s, member_int (totals, "timeouts"));
      cell_num (s, member_int (totals, "fast_retransmits"));
      g_string_append (s, "<td></td></tr>\n");
    }
  g_string_append (s, "</tbody></table></div>\n"
                   "<p>sent/recv: application bytes; goodput: bytes "
                   "received &#215; 8 / (last delivery &#8722; open); "
                   "rexmit: segments retransmitted; rto: retransmission "
                   "timeouts; fast: fast retransmits.</p>\n</section>\n");
  return TRUE;
}

/* The diagram, inline: everything from "<svg" on. */
static gboolean
append_diagram (GString *s, const char *path, GError **error)
{
  g_autofree char *svg = NULL;
  const char *start;

  if (!g_file_get_contents (path, &svg, NULL, error))
    return FALSE;
  start = strstr (svg, "<svg");
  if (start == NULL)
    return TRUE;
  g_string_append (s, "<section id=\"diagram\">\n<h2>Sequence diagram</h2>\n"
                   "<figure>\n");
  g_string_append (s, start);
  g_string_append (s, "<figcaption>The run's first connection, as in "
                   "<code>sequence.svg</code>: each arrow goes from the "
                   "time a segment was sent to the time it arrived; a red "
                   "cross marks a lost segment.</figcaption>\n</figure>\n"
                   "</section>\n");
  return TRUE;
}

/* Plots. */

typedef struct {
  char *stem;
  char *file;                   /* the image to show */
  const char *mime;
  guint rank;                   /* index in plot_kinds, or its length */
} Plot;

static void
plot_clear (gpointer p)
{
  Plot *plot = p;

  g_free (plot->stem);
  g_free (plot->file);
}

static int
compare_plots (gconstpointer a, gconstpointer b)
{
  const Plot *x = a;
  const Plot *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return strcmp (x->stem, y->stem);
}

/* The plots of @names: every STEM.svg or STEM.png but the diagram, one
 * per stem, the SVG when there are both (it stays sharp when zoomed). */
static GArray *
find_plots (const GPtrArray *names)
{
  GArray *plots = g_array_new (FALSE, TRUE, sizeof (Plot));

  g_array_set_clear_func (plots, plot_clear);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gboolean svg = g_str_has_suffix (name, ".svg");
      gboolean png = g_str_has_suffix (name, ".png");
      g_autofree char *stem = NULL;
      g_autofree char *svg_name = NULL;
      Plot plot = { 0 };

      if ((!svg && !png) || strcmp (name, "sequence.svg") == 0)
        continue;
      stem = g_strndup (name, strlen (name) - 4);
      svg_name = g_strconcat (stem, ".svg", NULL);
      if (png && has_name (names, svg_name))
        continue;
      plot.stem = g_steal_pointer (&stem);
      plot.file = g_strdup (name);
      plot.mime = svg ? "image/svg+xml" : "image/png";
      plot.rank = G_N_ELEMENTS (plot_kinds);
      for (guint k = 0; k < G_N_ELEMENTS (plot_kinds); k++)
        if (g_str_has_prefix (plot.stem, plot_kinds[k].prefix))
          {
            plot.rank = k;
            break;
          }
      g_array_append_val (plots, plot);
    }
  g_array_sort (plots, compare_plots);
  return plots;
}

/* The title gnuplot.c wrote on the first line of STEM.gp,
 * "# STEM.gp: TITLE.", or NULL. */
static char *
plot_title (const char *outdir, const char *stem)
{
  g_autofree char *name = g_strconcat (stem, ".gp", NULL);
  g_autofree char *path = g_build_filename (outdir, name, NULL);
  g_autofree char *text = NULL;
  g_autofree char *prefix = g_strconcat ("# ", name, ": ", NULL);
  char *eol;

  if (!g_file_get_contents (path, &text, NULL, NULL)
      || !g_str_has_prefix (text, prefix))
    return NULL;
  eol = strchr (text, '\n');
  if (eol != NULL)
    *eol = '\0';
  if (g_str_has_suffix (text, "."))
    text[strlen (text) - 1] = '\0';
  return g_strdup (text + strlen (prefix));
}

static gboolean
append_plots (GString *s, const char *outdir, const GArray *plots,
              GError **error)
{
  if (plots->len == 0)
    return TRUE;
  g_string_append (s, "<section id=\"plots\">\n<h2>Plots</h2>\n");
  for (guint i = 0; i < plots->len; i++)
    {
      const Plot *plot = &g_array_index (plots, Plot, i);
      g_autofree char *path = g_build_filename (outdir, plot->file, NULL);
      g_autofree char *data = NULL;
      g_autofree char *b64 = NULL;
      g_autofree char *title = plot_title (outdir, plot->stem);
      gsize len = 0;

      if (!g_file_get_contents (path, &data, &len, error))
        return FALSE;
      if (title == NULL)
        title = g_strdup (plot->rank < G_N_ELEMENTS (plot_kinds)
                            ? plot_kinds[plot->rank].caption : plot->stem);
      b64 = g_base64_encode ((const guchar *) data, len);
      g_string_append (s, "<figure class=\"plot\">\n<img alt=\"");
      append_escaped (s, title);
      g_string_append_printf (s, "\" src=\"data:%s;base64,%s\">\n"
                              "<figcaption>", plot->mime, b64);
      append_escaped (s, title);
      g_string_append (s, " (<code>");
      append_escaped (s, plot->file);
      g_string_append (s, "</code>)</figcaption>\n</figure>\n");
    }
  g_string_append (s, "</section>\n");
  return TRUE;
}

/* Links to the run's other files, relative, so the page keeps working
 * when the directory moves. */
static void
append_files (GString *s, const GPtrArray *names)
{
  gboolean any = FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *href = NULL;

      if (strcmp (name, "report.html") == 0 || name[0] == '.')
        continue;
      if (!any)
        g_string_append (s, "<section id=\"files\">\n<h2>Files</h2>\n"
                         "<ul class=\"files\">\n");
      any = TRUE;
      href = g_uri_escape_string (name, NULL, FALSE);
      g_string_append_printf (s, "<li><a href=\"%s\"><code>", href);
      append_escaped (s, name);
      g_string_append (s, "</code></a></li>\n");
    }
  if (any)
    g_string_append (s, "</ul>\n</section>\n");
}

char *
report_render (const char *outdir, const char *title, GError **error)
{
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GArray) plots = NULL;
  g_autofree char *dir_name = NULL;
  g_autoptr (GString) s = NULL;

  g_return_val_if_fail (outdir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  names = list_dir (outdir, error);
  if (names == NULL)
    return NULL;
  dir_name = g_path_get_basename (outdir);
  if (title == NULL)
    title = dir_name;

  s = g_string_new ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\">\n"
                    /* No favicon request: the page loads nothing. */
                    "<link rel=\"icon\" href=\"data:,\">\n<title>");
  g_string_append (s, "tcpsim: ");
  append_escaped (s, title);
  g_string_append_printf (s, "</title>\n<style>%s</style>\n</head>\n<body>\n"
                          "<main>\n<header>\n<h1>tcpsim: ", style_sheet);
  append_escaped (s, title);
  g_string_append (s, "</h1>\n<p class=\"lead\">What a run of the "
                   "simulator did: its connections, the first one's "
                   "sequence diagram, and the plots of its trace.</p>\n"
                   "</header>\n");

  if (has_name (names, "summary.json"))
    {
      g_autofree char *path = g_build_filename (outdir, "summary.json", NULL);

      if (!append_summary (s, path, error))
        return NULL;
    }
  if (has_name (names, "sequence.svg"))
    {
      g_autofree char *path = g_build_filename (outdir, "sequence.svg", NULL);

      if (!append_diagram (s, path, error))
        return NULL;
    }
  plots = find_plots (names);
  if (!append_plots (s, outdir, plots, error))
    return NULL;
  append_files (s, names);
  g_string_append (s, "</main>\n</body>\n</html>\n");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
report_write (const char *outdir, const char *title, GError **error)
{
  g_autofree char *html = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (outdir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  html = report_render (outdir, title, error);
  if (html == NULL)
    return FALSE;
  path = g_build_filename (outdir, "report.html", NULL);
  return g_file_set_contents (path, html, -1, error);
}
