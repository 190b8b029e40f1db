/*
 * portscope native worker pool (Linux): the machinery the connect scanner and the UDP prober share.
 *
 * A pool is one or more workers; a worker is one thread with its own epoll set, request queue, per-fd probe
 * slots, deadline heap and result buffer, reporting through its own N-API threadsafe function to the one JS
 * callback. An addon supplies the protocol part as a wp_ops table: how to start a probe, what to do when its
 * socket is ready or its deadline passes, and how to hand a batch of results to JavaScript. The engine in
 * TypeScript decides what to probe, timeouts and pacing; this code only runs the syscalls.
 */
#ifndef PORTSCOPE_WORKER_POOL_H
#define PORTSCOPE_WORKER_POOL_H

#include <node_api.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define WP_CODE_TIMEOUT (-1)
#define WP_MAX_WORKERS 4

#define WP_THROW(msg)                           \
  do {                                          \
    napi_throw_error(env, "E_NATIVE", msg);     \
    return NULL;                                \
  } while (0)

/* A growable array of fixed-size elements. */
typedef struct {
  void *v;
  size_t n, cap;
} wp_vec;

/* One probe in flight, indexed by its socket fd. gen tells a reused fd's old epoll/heap entries apart. */
typedef struct {
  uint32_t id, gen, seq;
  uint64_t start_ns, deadline_ns;
  int active;
} wp_slot;

typedef struct {
  uint64_t deadline_ns;
  int fd;
  uint32_t gen;
} wp_heap_ent;

/* A batch of results on its way to the JS thread (owned by call_js once sent). */
typedef struct {
  void *v;
  size_t n;
} wp_batch;

typedef struct wp_worker wp_worker;
typedef struct wp_pool wp_pool;

/* One submit(handle, address, ids, ports, ...) call, its common arguments read and checked. */
struct wp_submit {
  napi_value argv[8];
  wp_pool *pool;
  struct sockaddr_storage sa; /* port 0; see wp_set_port */
  socklen_t salen;
  const uint32_t *ids;
  const uint16_t *ports;
  size_t n;
};

typedef struct {
  const char *name;        /* threadsafe function resource name */
  const char *closed_msg;  /* thrown by submit on a closed or foreign handle */
  const char *submit_usage;/* thrown by submit with too few arguments */
  size_t submit_argc;      /* arguments submit needs: handle, address, ids, ports, ... */
  int (*workers)(void);    /* threads per handle, read at open (NULL: one) */
  /* Queue the probes of one submit call (common arguments read and checked). */
  napi_value (*submit)(napi_env env, struct wp_submit *a);
  size_t req_size;         /* bytes per queued request */
  size_t res_size;         /* bytes per result */
  size_t start_batch;      /* probes started per loop turn (0: all queued) */
  void (*start)(wp_worker *w, void *req);   /* start one probe (and release what req owns) */
  void (*ready)(wp_worker *w, int fd);      /* epoll reported the probe's socket */
  void (*timeout)(wp_worker *w, int fd);    /* the probe's deadline passed */
  void (*discard_req)(void *req);           /* free a request never started (NULL: nothing owned) */
  void (*discard_res)(void *res);           /* free a result never delivered (NULL: nothing owned) */
  void (*call_js)(napi_env env, napi_value cb, wp_batch *batch); /* deliver a batch (env/cb may be NULL) */
} wp_ops;

struct wp_worker {
  const wp_ops *ops;
  pthread_t thread;
  pthread_mutex_t mu;
  int epfd, evfd, stop, started, closed;
  wp_vec queue; /* guarded by mu */
  /* thread-only state */
  wp_slot *slots;
  size_t nslots;
  wp_vec heap;
  wp_vec out;
  uint32_t gen, seq;
  napi_threadsafe_function tsfn;
};

struct wp_pool {
  wp_worker *w[WP_MAX_WORKERS];
  int n;
  unsigned rr;
};

uint64_t wp_now_ns(void);
/* Room for `need` elements; 0 on success, -1 when out of memory (the vector is unchanged). */
int wp_vec_reserve(wp_vec *v, size_t need, size_t elem);

/* ---- worker thread side ---- */

/* Claim the slot for a new probe on fd; NULL when out of memory. */
wp_slot *wp_claim(wp_worker *w, int fd, uint32_t id, uint32_t timeout_ms);
/* Watch fd for `events` until its deadline; returns 0 or an errno. */
int wp_watch(wp_worker *w, int fd, uint32_t events);
/* Microseconds since the probe on fd started. */
uint32_t wp_elapsed_us(const wp_worker *w, int fd);
/* Mark the probe on fd done and close its socket (closing also removes it from the epoll set). */
void wp_release(wp_worker *w, int fd);
/* Read the first queued socket error (IP_RECVERR): 1 with errno and ICMP type/code, 0 when none. */
int wp_read_errqueue(int fd, int32_t *code, int32_t *icmp);
/* Append one result (copied); 0, or -1 when out of memory. */
int wp_push_result(wp_worker *w, const void *res);

/* ---- JS thread side ---- */

/* Start one worker thread reporting to cb; NULL with *why set on failure. */
wp_worker *wp_worker_open(napi_env env, napi_value cb, const wp_ops *ops, const char **why);
/* Stop the thread, close every socket, release the callback (idempotent). */
void wp_worker_stop(wp_worker *w);
/* Stop and free. */
void wp_worker_free(wp_worker *w);

/* Define the addon's exports: open(callback) -> handle, submit(handle, address, ids, ports, ...) -> calls
 * ops->submit, close(handle) stops every thread, closes every socket and releases the callback. */
napi_value wp_define(napi_env env, napi_value exports, const wp_ops *ops);
/* Reserve n requests at the end of w's queue, locked; NULL (unlocked) when out of memory. */
void *wp_queue_reserve(wp_worker *w, size_t n);
/* Unlock the queue and wake the worker. */
void wp_queue_commit(wp_worker *w);
/* Set the port of an address filled by wp_parse_address. */
void wp_set_port(struct sockaddr_storage *sa, uint16_t port);
/* Parse a JS string holding an IPv4 or IPv6 address into *sa (port 0); NULL, or why not. */
const char *wp_parse_address(napi_env env, napi_value v, struct sockaddr_storage *sa, socklen_t *salen);

#endif
