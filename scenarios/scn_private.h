/* scn_private.h: what the files of the scenario builder share.
 *
 * scn_values.c turns one value's text into a typed ScnValue (or a TCP
 * parameter's ScnTcpSet); scn_build.c checks the declarations (seed, tcp,
 * host, router, link, drop and its kin, run) into the specs of a
 * ScnChecker and builds the world from them; scn_topology.c expands the
 * chain, dumbbell and star statements into hosts, routers and links, and
 * checks route and routing; scn_apps.c checks app statements;
 * scn_timeline.c checks `at` and `when` (and finds cycles among
 * triggers); scn_runtime.c is the world component that carries out the
 * timeline and the triggers during the run; scn_grid.c checks `compare`;
 * scn_override.c applies --set items to the tree before the checks, and
 * lists the names they accept.  Nothing here is public: the API is
 * scn_build.h.
 */
#pragma once

#include "scenarios/scn_build.h"
#include "scenarios/scn_parser.h"
#include "scenarios/scn_units.h"
#include "models/apps/apps.h"
#include "models/inject.h"
#include "models/link.h"
#include "models/routing.h"
#include "models/tcp/tcp.h"

G_BEGIN_DECLS

/* Upper bound of every time a scenario sets, about 11.6 days: far beyond
 * any useful run, and far enough below 2^63 ns that no model adding a
 * few of them together can overflow. */
#define SCN_MAX_TIME_NS SIM_S (1000000)
/* Fast enough for any link, slow enough that serialization arithmetic
 * (bytes * 8 * 10^9) stays inside 64 bits. */
#define SCN_MAX_RATE_BPS G_GUINT64_CONSTANT (1000000000000)
#define SCN_MAX_SIZE_BYTES (G_GUINT64_CONSTANT (1) << 50)
#define SCN_MAX_APP_COUNT G_GUINT64_CONSTANT (100000000)

typedef enum {
  SCN_KEY_TIME,
  SCN_KEY_RATE,
  SCN_KEY_SIZE,
  SCN_KEY_COUNT,
  SCN_KEY_PROB,
  SCN_KEY_BOOL,
  SCN_KEY_CHOICE,
  SCN_KEY_HOST,                 /* a host name, resolved later */
  SCN_KEY_HOSTPORT,             /* HOST:PORT */
  SCN_KEY_ADDR,                 /* IPv4 address */
  SCN_KEY_FLAGS,                /* TCP flags, tcpdump letters */
  SCN_KEY_REAL,                 /* a plain decimal number, at least 0 */
  SCN_KEY_SPAN,                 /* N or N..M, whole numbers */
} ScnKeyType;

typedef struct {
  const char *name;
  ScnKeyType type;
  const char *default_text;     /* NULL: required, unless optional */
  gboolean optional;            /* may be left out, with no default */
  guint64 min;                  /* TIME RATE SIZE COUNT: inclusive */
  guint64 max;
  const char *unlimited;        /* word for "no limit" (value 0), or NULL */
  const char *const *choices;   /* CHOICE: NULL-terminated */
  const char *example;          /* "rate=10Mbps", for messages */
  const LinkParamInfo *link;    /* (nullable): the link model's field */
} ScnKeyInfo;

typedef struct {
  gboolean given;               /* written (in the file or by --set) */
  gboolean bad;                 /* written, and reported as wrong */
  gboolean defaulted;           /* not written; holds the key's default */
  ScnLoc loc;                   /* of the value; the statement's if default */
  gboolean unlimited;
  guint64 u;                    /* TIME (ns) RATE SIZE COUNT CHOICE BOOL ADDR
                                 * SPAN (its first number) */
  guint64 u_last;               /* SPAN: the last number; 0: just N */
  double prob;                  /* PROB and REAL */
  const char *host;             /* HOST HOSTPORT: points into the tree */
  guint16 port;
  guint8 flags_mask;
  guint8 flags_value;
} ScnValue;

typedef struct {
  const TcpParamInfo *info;
  const ScnKv *kv;              /* where it was written */
  guint64 u;                    /* BYTES COUNT CHOICE; TIME in ns; BOOL */
  gboolean isn_random;
} ScnTcpSet;

/* The TCP keys of a `tcp` statement or of one host's tcp.* keys. */
typedef struct {
  const ScnKv *profile;         /* (nullable) */
  GArray *sets;                 /* ScnTcpSet, in written order */
} ScnTcpKeys;

typedef enum {
  SCN_NAME_HOST,
  SCN_NAME_LINK,
  SCN_NAME_APP,
  SCN_NAME_ROUTER,
} ScnNameKind;

/* "host", "link", "app", "router", for messages. */
extern const char *const scn__name_kind_names[];

typedef struct {
  ScnNameKind kind;
  ScnStmt *stmt;
  const char *name;
  void *spec;                   /* (nullable): ScnHostSpec, ScnLinkSpec or
                                 * ScnAppSpec once its statement checked
                                 * clean */
} ScnNameEntry;

/* A host or a router: a node. */
typedef struct {
  const ScnStmt *stmt;
  const char *name;
  gboolean router;
  Ipv4Addr addr;
  ScnLoc addr_loc;
  ScnTcpKeys tcp;               /* hosts only */
  Node *node;
} ScnHostSpec;

typedef struct {
  const ScnStmt *stmt;
  const char *name;
  ScnHostSpec *end[2];          /* [LINK_DIR_AB] is A */
  LinkDirParams dir[2];
  Link *link;
} ScnLinkSpec;

typedef struct {
  const ScnStmt *stmt;
  ScnLinkSpec *link;
  LinkDir dir;
  LinkDropRule rule;
} ScnDropSpec;

typedef struct {
  const ScnStmt *stmt;
  ScnHostSpec *node;
  Ipv4Addr prefix;
  guint prefix_len;
  ScnLinkSpec *via;             /* the link the route leaves by */
} ScnRouteSpec;

typedef enum {
  SCN_APP_KIND_REQRESP,
  SCN_APP_KIND_BULK,
  SCN_APP_KIND_ECHO,
  SCN_APP_KIND_ONOFF,
  SCN_APP_KIND_SINK,
  SCN_N_APP_KINDS
} ScnAppKind;

/* "reqresp", "bulk", "echo", "onoff", "sink", NULL-terminated. */
extern const char *const scn__app_kind_names[];

/* An app's two sides: [0] opens connections (client, from), [1] listens
 * (server, to, listen).  A sink has side 1 only. */
#define SCN_SIDE_ACTIVE 0
#define SCN_SIDE_PASSIVE 1

/* Returns: (nullable): the name of @side of @kind ("client", "to",
 * "listen"), NULL when the kind has no such side. */
const char *scn__app_side_name (ScnAppKind kind, guint side);

typedef struct {
  const ScnStmt *stmt;
  const char *name;
  ScnAppKind kind;
  ScnHostSpec *host[2];         /* by side; [0] NULL for a sink */
  guint16 port;
  ScnLoc port_loc;
  ScnTcpKeys side_tcp[2];       /* SIDE.tcp.KEY */
  const ScnKv *start_kv;        /* (nullable): start= as written */
  gboolean has_stop;            /* some at/when stops it */
  gboolean started_by;          /* it waits for the timeline to start it
                                 * (scn__check_timeline_starts()) */
  gboolean start_at_build;      /* ... at a time known when building: its
                                 * config's start is that time, and the
                                 * runtime leaves it alone */
  struct ScnAppModel *model;    /* once built */
  AppReqRespConfig reqresp;
  AppBulkConfig bulk;
  AppEchoConfig echo;
  AppOnOffConfig onoff;
  AppSinkConfig sink;
} ScnAppSpec;

/* What it takes to create an app, then or later, without the tree: the
 * checked configuration with its nodes and TCP parameters.  Owned by the
 * runtime when the scenario has a timeline or triggers, else freed once
 * the world is built. */
typedef struct ScnAppModel {
  char *name;
  ScnAppKind kind;
  Node *node[2];                /* by side */
  guint16 port;
  TcpParams params[2];          /* by side */
  gboolean has_params[2];       /* the side has its own keys */
  gboolean deferred;            /* started by the timeline or a trigger */
  AppReqRespConfig reqresp;
  AppBulkConfig bulk;
  AppEchoConfig echo;
  AppOnOffConfig onoff;
  AppSinkConfig sink;
  App *app;                     /* (nullable) until created */
} ScnAppModel;

/* What `at` and `then` do. */
typedef enum {
  SCN_ACT_START,
  SCN_ACT_STOP,
  SCN_ACT_CLOSE,
  SCN_ACT_ABORT,
  SCN_ACT_LINK_UP,
  SCN_ACT_LINK_DOWN,
  SCN_ACT_LINK_SET,
  SCN_ACT_RULE,
  SCN_ACT_INJECT,
} ScnActionKind;

typedef struct {
  ScnActionKind kind;
  const ScnStmt *stmt;
  ScnAppSpec *app;              /* START STOP, CLOSE ABORT with a side */
  gint side;                    /* CLOSE ABORT: -1 for the connection that
                                 * set off the trigger */
  ScnLinkSpec *link;            /* LINK_*, RULE */
  LinkDirParams values[2];      /* LINK_SET, by direction */
  guint64 fields[2];            /* LINK_SET: LinkParamInfo.field_bit */
  LinkDir dir;                  /* RULE */
  LinkDropRule rule;            /* RULE */
  SimTime for_ns;               /* RULE: a time window from the action on;
                                 * 0: the rule matches TCP fields */
  ScnHostSpec *from;            /* INJECT */
  ScnHostSpec *to;
  InjectSegment seg;
} ScnAction;

typedef struct {
  const ScnStmt *stmt;
  SimTime at_ns;
  ScnAction action;
} ScnAtSpec;

typedef struct {
  const ScnStmt *stmt;
  ScnHostSpec *host;            /* the subject: a host, or ... */
  ScnAppSpec *app;              /* ... one side of an app */
  guint side;
  TcpState state;
  SimTime wait_ns;
  ScnAction action;
} ScnWhenSpec;

typedef struct {
  const ScnStmt *stmt;
  const ScnKv *kv;              /* KEY=V1,V2,... */
  GPtrArray *values;            /* (element-type utf8) owned */
} ScnGridSpec;

typedef struct {
  ScnScript *script;
  ScnDiag *diag;
  GHashTable *names;            /* name -> ScnNameEntry */
  GPtrArray *name_order;        /* ScnNameEntry, in file order */
  GPtrArray *hosts;             /* ScnHostSpec */
  GPtrArray *links;             /* ScnLinkSpec */
  GPtrArray *drops;             /* ScnDropSpec */
  GPtrArray *apps;              /* ScnAppSpec */
  GPtrArray *routes;            /* ScnRouteSpec */
  GPtrArray *ats;               /* ScnAtSpec */
  GPtrArray *whens;             /* ScnWhenSpec */
  GPtrArray *grid;              /* ScnGridSpec */
  const ScnStmt *seed_stmt;
  const ScnStmt *run_stmt;
  const ScnStmt *routing_stmt;
  guint64 seed;
  SimTime end_ns;
  RoutingMetric metric;
  gboolean static_routing;      /* routing mode=static */
  ScnTcpKeys tcp;               /* every `tcp` statement together */
  gboolean links_incomplete;    /* a link statement had an error */
  gboolean apps_incomplete;     /* an app statement had an error */
  const char *text;             /* the file, for the grid's checks */
  gsize len_bytes;
  gboolean nested;              /* checking one grid value: no grid */
  guint grid_values_checked;
} ScnChecker;

/* scn_values.c */

/* Parses @text for @info into @v (not touching v->given or v->loc):
 * the "no limit" word, then the type's parser, then the range. */
gboolean scn__parse_value (const ScnKeyInfo *info, const char *text,
                           ScnValue *v, GError **error);
/* Sets *@out to the index of @text in @choices (NULL-terminated). */
gboolean scn__parse_choice (const char *text, const char *const *choices,
                            guint64 *out, GError **error);
/* Returns: (transfer full): the host part of a SCN_KEY_HOSTPORT value. */
char *scn__hostport_host (const ScnValue *v);

gboolean scn__parse_tcp_value (const TcpParamInfo *info, const char *text,
                               ScnTcpSet *set, GError **error);
void scn__apply_tcp_set (TcpParams *params, const ScnTcpSet *set);
void scn__tcp_keys_init (ScnTcpKeys *keys);
void scn__tcp_keys_clear (ScnTcpKeys *keys);
/* TRUE for "profile" and the names of tcp_param_table(). */
gboolean scn__is_tcp_key (const char *param);
/* Appends "<prefix>profile" and "<prefix><param>" for every parameter. */
void scn__add_tcp_candidates (GPtrArray *out, const char *prefix);

/* scn_build.c */

/* Returns: (transfer none): the keys of a link direction, one per field
 * of the link model's parameter table (link_param_table()), with the
 * language's defaults, ranges and "no limit" words; @n_out entries. */
const ScnKeyInfo *scn__link_keys (guint *n_out);
/* Returns: (transfer none): the keys of an app of @kind; @n_out. */
const ScnKeyInfo *scn__app_keys (ScnAppKind kind, guint *n_out);

/* One set of keys a statement accepts, under a prefix: "" for plain
 * keys, "a>b." for one direction of a link, "edge." for a topology's
 * host links. */
typedef struct {
  const char *prefix;
  const ScnKeyInfo *keys;
  guint n_keys;
  ScnValue *values;             /* n_keys of them */
  gboolean use_defaults;        /* FALSE: missing keys stay !given */
} ScnKeyGroup;

/* A TCP key family a statement accepts: "<prefix>profile" and
 * "<prefix><param>", parsed into @keys. */
typedef struct {
  const char *prefix;
  ScnTcpKeys *keys;
} ScnTcpGroup;

/* Walks @stmt's pairs against @groups and @tcp; reports unknown and
 * repeated keys, bad values, then missing required keys (@what names the
 * statement: "host 'a'"), and fills the defaults.  @expected lists the
 * keys for the unknown-key message.  Pairs whose key @skip (nullable)
 * accepts are left alone. */
void scn__collect_keys (ScnChecker *c, const ScnStmt *stmt,
                        ScnKeyGroup *groups, guint n_groups,
                        ScnTcpGroup *tcp, guint n_tcp, const char *what,
                        const char *expected,
                        gboolean (*skip) (const char *key));
gboolean scn__check_arg_count (ScnChecker *c, const ScnStmt *stmt,
                               guint n_args, const char *usage);
/* Returns: (nullable): the entry whose declaration is @stmt. */
ScnNameEntry *scn__own_entry (ScnChecker *c, const ScnStmt *stmt);
/* Returns: (nullable): the entry for @name when its kind is in
 * @kinds_mask (1 << ScnNameKind); reports an error at @loc otherwise.
 * @what says who refers ("link 'l1'"), @kind_text what was expected. */
ScnNameEntry *scn__resolve_name (ScnChecker *c, const char *name,
                                 guint kinds_mask, const ScnLoc *loc,
                                 const char *what, const char *kind_text);
/* Returns: (nullable): the checked host (only) that @name names. */
ScnHostSpec *scn__resolve_host (ScnChecker *c, const char *name,
                                const ScnLoc *loc, const char *what,
                                gboolean *known);
/* Merges @from into @into; a key already there is an error. */
void scn__merge_tcp_keys (ScnChecker *c, ScnTcpKeys *into,
                          const ScnTcpKeys *from);
/* The TCP parameters of @h, refined by @side (nullable) keys. */
void scn__host_tcp_params (const ScnChecker *c, const ScnHostSpec *h,
                           const ScnTcpKeys *side, TcpParams *params);
/* Parses a link direction "A>B" of @l into @dir; reports otherwise. */
gboolean scn__parse_link_dir (ScnChecker *c, const ScnLinkSpec *l,
                              const ScnArg *arg, LinkDir *dir);
/* Writes the given @values (scn__link_keys() order) into @p and their
 * field bits into @fields (nullable). */
void scn__link_values_apply (const ScnValue *values, LinkDirParams *p,
                             guint64 *fields);
/* Checks the keys of a scripted rule (drop, corrupt, duplicate, hold)
 * in one of its forms into @rule; @timed: an action of the timeline,
 * where only `match` and for= apply.  Returns FALSE after an error. */
gboolean scn__check_rule (ScnChecker *c, const ScnStmt *stmt,
                          guint first_arg, gboolean timed,
                          ScnLinkSpec **link, LinkDir *dir,
                          LinkDropRule *rule, SimTime *for_ns);

/* scn_topology.c */

/* Expands chain, dumbbell and star statements into host, router and
 * link statements appended to the tree (before names are registered). */
void scn__expand_topologies (ScnChecker *c);
void scn__check_router (ScnChecker *c, const ScnStmt *stmt);
void scn__check_route (ScnChecker *c, const ScnStmt *stmt);
void scn__check_routing (ScnChecker *c, const ScnStmt *stmt);
/* After building: every app's hosts reach each other both ways. */
void scn__check_paths (ScnChecker *c);

/* scn_apps.c */

void scn__check_app (ScnChecker *c, const ScnStmt *stmt);
/* Returns: (transfer full): the model of the checked @app, its configs
 * pointing at @net's nodes (built) and at its own TCP parameters. */
ScnAppModel *scn__app_model_new (const ScnChecker *c, ScnAppSpec *app);
void scn__app_model_free (gpointer model);
/* Creates the app of @m in @net now (at build time, or during the run
 * when the timeline starts it); sets m->app. */
gboolean scn__app_model_create (ScnAppModel *m, Network *net,
                                GError **error);

/* scn_timeline.c */

void scn__check_at (ScnChecker *c, const ScnStmt *stmt);
void scn__check_when (ScnChecker *c, const ScnStmt *stmt);
/* Reports every cycle among the checked triggers, once each. */
void scn__check_trigger_cycles (ScnChecker *c);
/* Decides which apps wait for the timeline to start them: those it
 * starts, except an onoff sender or a sink it also stops (that one starts
 * at its own time, and `start` resumes it).  An app that waits must not
 * have a start time of its own. */
void scn__check_timeline_starts (ScnChecker *c);

/* scn_grid.c */

void scn__check_compare (ScnChecker *c, const ScnStmt *stmt);
/* Returns: (transfer full): the checked grid of @c. */
ScnGrid *scn__grid_from_checker (const ScnChecker *c);

/* scn_build.c: checks @text with the --set items @sets (no grid checks,
 * nothing built); for the grid's values. */
gboolean scn__check_text (const char *display_name, const char *text,
                          gsize len_bytes, const char *const *sets,
                          GError **error);

/* scn_runtime.c: the timeline and triggers in a running world. */
typedef struct ScnRuntime ScnRuntime;

/* Returns: (transfer none) (nullable): a runtime owned by @net's world,
 * built from @c's checked timeline and triggers, that takes @models (the
 * apps' ScnAppModel); NULL, with @models freed, when the scenario has no
 * timeline and no trigger. */
ScnRuntime *scn__runtime_new (ScnChecker *c, Network *net,
                              GPtrArray *models);

/* scn_override.c */

/* Applies the "KEY=VALUE" items of @sets (nullable, NULL-terminated) to
 * the tree: each replaces the value its key has in the file, or adds the
 * pair.  Unknown names and malformed items go to the diagnostics. */
void scn__apply_overrides (ScnChecker *c, const char *const *sets);
/* Returns: (transfer full) (element-type utf8): every name --set accepts
 * for the names @c has registered, in file order. */
GPtrArray *scn__list_parameters (const ScnChecker *c);

G_END_DECLS
