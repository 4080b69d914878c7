/* drill_ast.h: a parsed packetdrill script: a list of timed events, each a
 * packet, a system call or a shell command, with every value already
 * checked (numbers in range, symbols known, sysctls understood), so that
 * running a script can only fail on what the model does.
 *
 * Call order: drill_script_parse() (drill_parser.c) builds it ->
 * drill_run() (drill_driver.c) reads it -> drill_script_free().
 */
#pragma once

#include "models/tcp/tcp.h"
#include "models/tcp/tcp_wire.h"
#include "scenarios/drill/drill.h"
#include "scenarios/drill/drill_lexer.h"

G_BEGIN_DECLS

/* ---- time ---- */

typedef enum {
  DRILL_TIME_ABSOLUTE,          /* 0.100: since the script started */
  DRILL_TIME_RELATIVE,          /* +0.100: since the previous event */
  DRILL_TIME_ANY,               /* '*': outbound packets only */
} DrillTimeKind;

typedef struct {
  DrillTimeKind kind;
  SimTime ns;
} DrillTimePoint;

typedef enum {
  DRILL_TIME_POINT,             /* T */
  DRILL_TIME_RANGE,             /* A~B: an outbound packet between them */
  DRILL_TIME_BLOCKING,          /* A...B: a system call from A returning at
                                 * B (B relative to A when it has a '+') */
} DrillTimeShape;

typedef struct {
  DrillTimeShape shape;
  DrillTimePoint start;
  DrillTimePoint end;           /* RANGE and BLOCKING */
} DrillTime;

/* ---- packets ---- */

typedef enum {
  DRILL_OPT_EOL,
  DRILL_OPT_NOP,
  DRILL_OPT_MSS,
  DRILL_OPT_WSCALE,
  DRILL_OPT_SACK_OK,
  DRILL_OPT_SACK,
  DRILL_OPT_TS,
} DrillOptKind;

typedef struct {
  DrillOptKind kind;
  guint32 value;                /* MSS bytes, window shift */
  guint32 ts_val;
  guint32 ts_ecr;
  guint n_sack;
  TcpSackBlock sack[TCP_MAX_SACK_BLOCKS];       /* relative numbers */
} DrillOption;

typedef struct {
  gboolean inbound;             /* '<': from the peer; '>': expected */
  guint8 flags;                 /* TCP_SYN, TCP_ACK, ... */
  guint32 seq;                  /* relative start */
  guint32 len_bytes;
  gboolean has_ack;
  guint32 ack;                  /* relative */
  gboolean has_win;
  guint32 win;                  /* the raw window field */
  gboolean any_options;         /* <...> */
  GArray *options;              /* (element-type DrillOption) in order */
} DrillPacket;

/* ---- expressions (system call arguments and results) ---- */

typedef enum {
  DRILL_EXPR_ELLIPSIS,          /* ...: anything */
  DRILL_EXPR_INT,               /* 12, -1, 0x802, SOCK_STREAM */
  DRILL_EXPR_STRING,            /* "cubic" */
  DRILL_EXPR_LIST,              /* [1], [0] */
  DRILL_EXPR_STRUCT,            /* {l_onoff=1, l_linger=0} */
} DrillExprKind;

typedef struct DrillExpr DrillExpr;
struct DrillExpr {
  DrillExprKind kind;
  DrillLoc loc;
  gint64 value;                 /* INT: symbols and '|' already folded */
  char *text;                   /* (owned) (nullable): STRING; INT: the
                                 * source text, for messages */
  char *field;                  /* (owned) (nullable): a STRUCT member's
                                 * name */
  GPtrArray *items;             /* (element-type DrillExpr) LIST, STRUCT */
};

/* ---- system calls ---- */

typedef enum {
  DRILL_CALL_SOCKET,
  DRILL_CALL_BIND,
  DRILL_CALL_LISTEN,
  DRILL_CALL_ACCEPT,
  DRILL_CALL_CONNECT,
  DRILL_CALL_WRITE,
  DRILL_CALL_SEND,
  DRILL_CALL_READ,
  DRILL_CALL_RECV,
  DRILL_CALL_SHUTDOWN,
  DRILL_CALL_CLOSE,
  DRILL_CALL_SETSOCKOPT,
  DRILL_CALL_GETSOCKOPT,
  DRILL_CALL_FCNTL,
  DRILL_N_CALLS
} DrillCallId;

typedef struct {
  DrillCallId id;
  const char *name;             /* (not owned) "connect" */
  GPtrArray *args;              /* (element-type DrillExpr) */
  DrillExpr *ret;               /* (owned) the expected return value */
  gboolean has_errno;
  int err;                      /* expected errno when has_errno */
  DrillLoc ret_loc;
} DrillSyscall;

/* ---- shell commands ---- */

/* One TcpParams field that a sysctl sets. */
typedef struct {
  const TcpParamInfo *param;    /* (nullable) NULL: keepidle_ns below */
  guint64 value;
  SimTime keepidle_ns;          /* net.ipv4.tcp_keepalive_time */
} DrillSetting;

typedef struct {
  char *text;                   /* (owned) the command */
  GArray *settings;             /* (element-type DrillSetting) */
  GPtrArray *notes;             /* (element-type utf8) what was ignored */
} DrillShell;

/* ---- events ---- */

typedef enum {
  DRILL_EVENT_PACKET,
  DRILL_EVENT_SYSCALL,
  DRILL_EVENT_SHELL,
} DrillEventKind;

typedef struct {
  DrillEventKind kind;
  DrillLoc loc;
  DrillTime time;
  DrillPacket packet;
  DrillSyscall call;
  DrillShell shell;
} DrillEvent;

struct DrillScript {
  char *file;                   /* (owned) */
  GPtrArray *events;            /* (element-type DrillEvent) in order */
  gboolean has_tolerance;       /* a --tolerance_usecs line */
  SimTime tolerance_ns;
  GPtrArray *option_notes;      /* (element-type utf8) ignored options */
};

G_END_DECLS
