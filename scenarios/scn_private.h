/* scn_private.h: what the files of the scenario builder share.
 *
 * scn_values.c turns one value's text into a typed ScnValue (or a TCP
 * parameter's ScnTcpSet); scn_build.c checks whole statements into the
 * specs of a ScnChecker and builds the world from them; scn_override.c
 * applies --set items to the tree before the checks, and lists the names
 * they accept.  Nothing here is public: the API is scn_build.h.
 */
#pragma once

#include "scenarios/scn_build.h"
#include "scenarios/scn_parser.h"
#include "scenarios/scn_units.h"
#include "models/apps/apps.h"
#include "models/link.h"
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
} ScnKeyInfo;

typedef struct {
  gboolean given;               /* written (in the file or by --set) */
  gboolean bad;                 /* written, and reported as wrong */
  ScnLoc loc;                   /* of the value; the statement's if default */
  gboolean unlimited;
  guint64 u;                    /* TIME (ns) RATE SIZE COUNT CHOICE BOOL ADDR */
  double prob;
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
} ScnNameKind;

typedef struct {
  ScnNameKind kind;
  ScnStmt *stmt;
  const char *name;
  void *spec;                   /* (nullable): ScnHostSpec, ScnLinkSpec or
                                 * ScnAppSpec once its statement checked
                                 * clean */
} ScnNameEntry;

typedef struct {
  const ScnStmt *stmt;
  const char *name;
  Ipv4Addr addr;
  ScnLoc addr_loc;
  ScnTcpKeys tcp;
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

typedef enum {
  SCN_APP_KIND_REQRESP,
  SCN_APP_KIND_BULK,
} ScnAppKind;

typedef struct {
  const ScnStmt *stmt;
  const char *name;
  ScnAppKind kind;
  ScnHostSpec *client;          /* bulk: the sender */
  ScnHostSpec *server;          /* bulk: the receiver */
  guint16 port;
  ScnLoc port_loc;
  AppReqRespConfig reqresp;
  AppBulkConfig bulk;
} ScnAppSpec;

typedef struct {
  ScnScript *script;
  ScnDiag *diag;
  GHashTable *names;            /* name -> ScnNameEntry */
  GPtrArray *name_order;        /* ScnNameEntry, in file order */
  GPtrArray *hosts;             /* ScnHostSpec */
  GPtrArray *links;             /* ScnLinkSpec */
  GPtrArray *drops;             /* ScnDropSpec */
  GPtrArray *apps;              /* ScnAppSpec */
  const ScnStmt *seed_stmt;
  const ScnStmt *run_stmt;
  guint64 seed;
  SimTime end_ns;
  ScnTcpKeys tcp;               /* every `tcp` statement together */
  gboolean links_incomplete;    /* a link statement had an error */
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

/* scn_build.c: the key tables --set needs to know. */
extern const ScnKeyInfo scn__link_keys[];
extern const guint scn__n_link_keys;
extern const ScnKeyInfo scn__reqresp_keys[];
extern const guint scn__n_reqresp_keys;
extern const ScnKeyInfo scn__bulk_keys[];
extern const guint scn__n_bulk_keys;

/* scn_override.c */

/* Applies the "KEY=VALUE" items of @sets (nullable, NULL-terminated) to
 * the tree: each replaces the value its key has in the file, or adds the
 * pair.  Unknown names and malformed items go to the diagnostics. */
void scn__apply_overrides (ScnChecker *c, const char *const *sets);
/* Returns: (transfer full) (element-type utf8): every name --set accepts
 * for the names @c has registered, in file order. */
GPtrArray *scn__list_parameters (const ScnChecker *c);

G_END_DECLS
