/* test_report.c: report.html, built from a real run of the seed scenario
 * (tracers into a temporary OUTDIR) plus stand-in plot files, then read
 * back as text and loaded in headless Chromium when it is installed:
 * the page must load without a console message and show every figure.
 * Paths: /plots/report/...
 */
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "plots/report.h"
#include "plots/tracers.h"
#include "plots_test.h"
#include "scenarios/scn_build.h"

/* A 4x3 blue PNG, the smallest real image a browser will decode. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
  0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,
  0x08, 0x02, 0x00, 0x00, 0x00, 0x3b, 0x96, 0x39, 0x91, 0x00, 0x00, 0x00,
  0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x90, 0x2f, 0xdf, 0x02,
  0x47, 0x0c, 0x38, 0x39, 0x00, 0x26, 0xde, 0x0f, 0x79, 0xee, 0xd9, 0x35,
  0x03, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
  0x82,
};

static const char plot_svg[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"120\" "
  "viewBox=\"0 0 320 120\"><rect width=\"320\" height=\"120\" "
  "fill=\"#fff\"/><polyline points=\"10,110 100,60 200,40 310,10\" "
  "fill=\"none\" stroke=\"#b45309\" stroke-width=\"3\"/></svg>\n";

typedef struct {
  char *dir;
} Fixture;

static void
write_file (const char *dir, const char *name, const void *data,
            gssize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

/* Runs the seed scenario with every tracer writing into f->dir, then adds
 * what the gnuplot views would: a PNG of the time-sequence graph, a PNG
 * and an SVG of the cwnd plot (the SVG must win) with its script. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..",
                                                 "scenarios",
                                                 "seed-exchange.scn", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimWorld) world = NULL;
  g_autoptr (Tracers) tracers = NULL;
  ScnOverrides overrides = { 0 };
  ScnRun run = { 0 };
  TracersConfig config;
  FILE *sink;

  f->dir = g_dir_make_tmp ("tcpsim-report-XXXXXX", &error);
  g_assert_no_error (error);
  world = scn_load_file (path, &overrides, &run, &error);
  g_assert_no_error (error);
  sink = fopen ("/dev/null", "w");
  g_assert_nonnull (sink);
  tracers_config_init (&config);
  config.outdir = f->dir;
  config.out = sink;
  tracers = tracers_open (run.network, &config, &error);
  g_assert_no_error (error);
  sim_world_run (world, run.end_ns);
  g_assert_true (tracers_close (tracers, &error));
  g_assert_no_error (error);
  sim_trace_bus_clear (sim_world_trace (world));
  g_clear_pointer (&tracers, tracers_free);
  g_clear_pointer (&world, sim_world_free);
  fclose (sink);

  write_file (f->dir, "tseq-client.49152-server.8080.png", tiny_png,
              sizeof tiny_png);
  write_file (f->dir, "cwnd-client.49152-server.8080.png", tiny_png,
              sizeof tiny_png);
  write_file (f->dir, "cwnd-client.49152-server.8080.svg", plot_svg, -1);
  write_file (f->dir, "cwnd-client.49152-server.8080.gp",
              "# cwnd-client.49152-server.8080.gp: Congestion window of "
              "client <a&b>.\nreset\n", -1);
  g_assert_true (report_write (f->dir, "seed-exchange", &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static char *
read_report (const Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "report.html", NULL);
  g_autoptr (GError) error = NULL;
  char *html = NULL;

  g_file_get_contents (path, &html, NULL, &error);
  g_assert_no_error (error);
  return html;
}

static guint
count_substr (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL;
       p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Self-contained: every figure is in the file, nothing is fetched. */
static void
test_content (Fixture *f, gconstpointer data)
{
  g_autofree char *html = read_report (f);
  g_autofree char *again = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n"));
  g_assert_nonnull (strstr (html, "<title>tcpsim: seed-exchange</title>"));
  /* The summary table, both endpoints and the totals. */
  g_assert_nonnull (strstr (html, "<td>172.16.17.94:49152&gt;"
                                  "172.16.17.95:8080</td><td>client</td>"));
  g_assert_nonnull (strstr (html, "<td>server</td>"));
  g_assert_nonnull (strstr (html, "total, 2 endpoints"));
  g_assert_nonnull (strstr (html, "43.6 kbit/s"));
  /* The diagram inline, without its XML declaration. */
  g_assert_cmpuint (count_substr (html, "<svg "), ==, 1);
  g_assert_null (strstr (html, "<?xml"));
  g_assert_nonnull (strstr (html, "PSH,ACK seq=1 ack=1 len=159 "
                                  "win=65535</text>"));
  /* Two plots, time-sequence first, the cwnd one as SVG with the title
   * from its script, escaped. */
  g_assert_cmpuint (count_substr (html, "<img "), ==, 2);
  g_assert_cmpuint (count_substr (html, "src=\"data:image/png;base64,"), ==,
                    1);
  g_assert_cmpuint (count_substr (html, "src=\"data:image/svg+xml;base64,"),
                    ==, 1);
  g_assert_true (strstr (html, "Time-sequence graph")
                 < strstr (html, "Congestion window of client "
                                 "&lt;a&amp;b&gt;"));
  /* Nothing outside the page but relative links to the run's files. */
  g_assert_null (strstr (html, "src=\"http"));
  g_assert_null (strstr (html, "href=\"http"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<link rel=\"stylesheet\""));
  g_assert_nonnull (strstr (html, "<a href=\"trace.jsonl\">"));
  g_assert_nonnull (strstr (html, "<a href=\"cable.pcap\">"));
  g_assert_null (strstr (html, f->dir));
  /* The same files give the same page. */
  again = report_render (f->dir, "seed-exchange", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, html);
}

/* The other outputs tracers_close() writes beside it. */
static void
test_views_written (Fixture *f, gconstpointer data)
{
  static const char *const names[] = {
    "sequence.svg", "sequence.mmd", "sequence.txt", "summary.json",
    "trace.jsonl", "cable.pcap",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, names[i], NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_missing_dir (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *html = report_render ("/nonexistent/tcpsim-report",
                                         NULL, &error);

  g_assert_null (html);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* Runs headless Chromium on @url with @extra flags; returns its exit
 * status and fills @out and @err. */
static gboolean
run_chromium (const char *chromium, const char *profile, const char *url,
              const char *extra, char **out, char **err)
{
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = {
    chromium, "--headless", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
    "--window-size=1200,1600", NULL, NULL, NULL, NULL,
  };
  g_autofree char *profile_arg = g_strconcat ("--user-data-dir=", profile,
                                              NULL);

  argv[13] = profile_arg;
  argv[14] = extra;
  argv[15] = url;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("chromium failed:\n%s", *err);
      return FALSE;
    }
  return TRUE;
}

/* Chromium logs what a page writes to its console, and what it fails to
 * load, as "CONSOLE" lines and "Failed to load resource" messages on
 * stderr. */
static gboolean
console_clean (const char *err)
{
  return strstr (err, ":CONSOLE") == NULL
         && strstr (err, "Failed to load resource") == NULL
         && strstr (err, "Not allowed to load local resource") == NULL
         && strstr (err, "Uncaught") == NULL;
}

/* A copy of the page with a script that counts the figures a reader
 * sees: every image decoded with a size, every inline SVG laid out. */
static const char check_script[] =
  "<script>\n"
  "window.addEventListener('load', function () {\n"
  "  var imgs = document.images, ok = 0;\n"
  "  for (var i = 0; i < imgs.length; i++)\n"
  "    if (imgs[i].complete && imgs[i].naturalWidth > 0\n"
  "        && imgs[i].getBoundingClientRect().width > 0) ok++;\n"
  "  var svgs = document.querySelectorAll('figure > svg'), shown = 0;\n"
  "  for (var j = 0; j < svgs.length; j++)\n"
  "    if (svgs[j].getBoundingClientRect().height > 100) shown++;\n"
  "  document.body.setAttribute('data-figures',\n"
  "    'img ' + ok + '/' + imgs.length\n"
  "    + ' svg ' + shown + '/' + svgs.length);\n"
  "});\n"
  "</script>\n";

static void
test_chromium (Fixture *f, gconstpointer data)
{
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *profile = NULL;
  g_autofree char *html = NULL;
  g_autofree char *report = NULL;
  g_autofree char *url = NULL;
  g_autofree char *check_path = NULL;
  g_autofree char *check_url = NULL;
  g_autofree char *shot = NULL;
  g_autofree char *shot_arg = NULL;
  g_autoptr (GError) error = NULL;
  GString *checked;
  char *out = NULL;
  char *err = NULL;

  if (chromium == NULL)
    {
      g_test_skip ("chromium is not installed");
      return;
    }
  profile = g_build_filename (f->dir, ".chromium", NULL);
  report = g_build_filename (f->dir, "report.html", NULL);
  url = g_filename_to_uri (report, NULL, &error);
  g_assert_no_error (error);

  /* The page as written: loads, logs nothing, has its figures. */
  g_assert_true (run_chromium (chromium, profile, url, "--dump-dom", &out,
                               &err));
  if (!console_clean (err))
    g_error ("console messages loading report.html:\n%s", err);
  g_assert_nonnull (strstr (out, "<h2>Sequence diagram</h2>"));
  g_assert_nonnull (strstr (out, "<h2>Plots</h2>"));
  g_assert_cmpuint (count_substr (out, "<img "), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Every figure shown, as counted by the page itself. */
  html = read_report (f);
  checked = g_string_new (html);
  g_string_replace (checked, "</body>", "", 1);
  g_string_append (checked, check_script);
  g_string_append (checked, "</body>\n");
  check_path = g_build_filename (f->dir, ".check.html", NULL);
  write_file (f->dir, ".check.html", checked->str, -1);
  g_string_free (checked, TRUE);
  check_url = g_filename_to_uri (check_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (run_chromium (chromium, profile, check_url, "--dump-dom",
                               &out, &err));
  if (!console_clean (err))
    g_error ("console messages loading the checked copy:\n%s", err);
  if (strstr (out, "data-figures=\"img 2/2 svg 1/1\"") == NULL)
    g_error ("not every figure is shown:\n%s",
             strstr (out, "<body") != NULL ? strstr (out, "<body") : out);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A screenshot, for a person to look at (TCPSIM_REPORT_SCREENSHOT
   * keeps it). */
  shot = g_strdup (g_getenv ("TCPSIM_REPORT_SCREENSHOT"));
  if (shot == NULL)
    shot = g_build_filename (f->dir, ".report.png", NULL);
  shot_arg = g_strconcat ("--screenshot=", shot, NULL);
  g_assert_true (run_chromium (chromium, profile, url, shot_arg, &out,
                               &err));
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
  g_free (out);
  g_free (err);
}

/* The console check is not vacuous: a page with a missing image and a
 * console error fails it. */
static void
test_chromium_detects (Fixture *f, gconstpointer data)
{
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autofree char *profile = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  char *err = NULL;

  if (chromium == NULL)
    {
      g_test_skip ("chromium is not installed");
      return;
    }
  profile = g_build_filename (f->dir, ".chromium", NULL);
  write_file (f->dir, ".bad.html",
              "<!DOCTYPE html><html><body><img src=\"missing.png\">"
              "<script>console.error('broken');</script></body></html>",
              -1);
  path = g_build_filename (f->dir, ".bad.html", NULL);
  url = g_filename_to_uri (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (run_chromium (chromium, profile, url, "--dump-dom", &out,
                               &err));
  g_assert_false (console_clean (err));
  g_free (out);
  g_free (err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/plots/report/content", test_content);
  ADD ("/plots/report/views-written", test_views_written);
  ADD ("/plots/report/chromium", test_chromium);
  ADD ("/plots/report/chromium-detects", test_chromium_detects);
#undef ADD
  g_test_add_func ("/plots/report/missing-dir", test_missing_dir);
  return g_test_run ();
}
