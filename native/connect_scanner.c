/*
 * portscope native connect backend (Linux).
 *
 * Why native: a TCP connect scan spends its time on per-socket overhead. Node's net.Socket costs several
 * JS objects, a libuv handle and stream machinery per probe (~17k probes/s on loopback here). This module
 * does the same syscalls a C scanner does (socket, connect, epoll, getsockopt, close) on dedicated worker
 * threads (one per CPU, at most 4; see worker_count) and hands results back to JavaScript in batches.
 * It decides nothing: what to probe, timeouts, retries and pacing stay in the TypeScript engine, which
 * submits probes and reads outcomes. Threads, queues, deadlines and the JS plumbing are in worker_pool.c.
 *
 * API (all called from the JS thread):
 *   open(callback)                          -> handle; callback(ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array)
 *   submit(handle, address, ids, ports, timeoutMs)   queue probes to one address (IPv4 or IPv6 text)
 *   close(handle)                           stop the thread, close every socket, release the callback
 * Outcome codes: 0 connected, >0 errno (ECONNREFUSED, EHOSTUNREACH, ...), -1 timed out, -2 connected to itself.
 */
#define _GNU_SOURCE
#include "worker_pool.h"
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define CODE_SELF (-2)

typedef struct {
  uint32_t id;
  uint32_t timeout_ms;
  socklen_t len;
  struct sockaddr_storage sa;
} probe_req;

typedef struct {
  uint32_t id;
  int32_t code;
  uint32_t rtt;
} result_t;

static void report(wp_worker *w, uint32_t id, int32_t code, uint32_t rtt) {
  result_t r = {id, code, rtt};
  wp_push_result(w, &r); /* out of memory: the engine times the probe out and retries it */
}

/* A socket whose local and peer endpoints are equal connected to itself (TCP simultaneous open, RFC 793
 * section 3.4): it happens on loopback when the kernel picks the destination port as the ephemeral source
 * port. Nothing listens there, so it must not be reported open. */
static int is_self_connect(int fd) {
  struct sockaddr_storage a, b;
  socklen_t la = sizeof a, lb = sizeof b;
  if (getsockname(fd, (struct sockaddr *)&a, &la) != 0) return 0;
  if (getpeername(fd, (struct sockaddr *)&b, &lb) != 0) return 0;
  return la == lb && memcmp(&a, &b, la) == 0;
}

static void finish(wp_worker *w, int fd, int32_t code) {
  uint32_t rtt = wp_elapsed_us(w, fd);
  if (code == 0 && is_self_connect(fd)) code = CODE_SELF;
  report(w, w->slots[fd].id, code, rtt);
  if (code == 0 || code == CODE_SELF) {
    /* SO_LINGER 0: close() sends RST instead of FIN, so an open port's service sees a reset, not a session.
     * Set only on connected sockets: a refused or silent one has nothing to linger, and a syscall per probe
     * is measurable on loopback (perf: setsockopt ~3% of a full-range scan). */
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  }
  wp_release(w, fd);
}

static void start_probe(wp_worker *w, void *req) {
  const probe_req *r = req;
  int fd = socket(r->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    report(w, r->id, errno, 0);
    return;
  }
  if (!wp_claim(w, fd, r->id, r->timeout_ms)) {
    close(fd);
    report(w, r->id, ENOMEM, 0);
    return;
  }
  int rc = connect(fd, (const struct sockaddr *)&r->sa, r->len);
  if (rc == 0) {
    finish(w, fd, 0);
    return;
  }
  if (errno != EINPROGRESS) {
    finish(w, fd, errno);
    return;
  }
  /* On loopback and veth the SYN and the target's RST (or ICMP error) are processed in this very syscall
   * (the receive softirq runs when connect() re-enables bottom halves), so the socket often carries its
   * error already. Reading it now saves epoll_ctl, the epoll wakeup and the epoll removal on close (perf:
   * ~10% of a loopback full-range scan). A zero error here is ambiguous (pending or connected): wait. */
  int err = 0;
  socklen_t el = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err != 0) {
    finish(w, fd, err);
    return;
  }
  if ((err = wp_watch(w, fd, EPOLLOUT)) != 0) finish(w, fd, err);
}

static void on_ready(wp_worker *w, int fd) {
  int err = 0;
  socklen_t el = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0) err = errno;
  finish(w, fd, err);
}

static void on_timeout(wp_worker *w, int fd) { finish(w, fd, WP_CODE_TIMEOUT); }

static void call_js(napi_env env, napi_value cb, wp_batch *b) {
  if (env == NULL || cb == NULL) return;
  const result_t *r = b->v;
  size_t n = b->n;
  void *p[3];
  napi_value ab[3], arr[3], undef;
  napi_typedarray_type types[3] = {napi_uint32_array, napi_int32_array, napi_uint32_array};
  for (int k = 0; k < 3; k++) {
    napi_create_arraybuffer(env, n * 4, &p[k], &ab[k]);
    napi_create_typedarray(env, types[k], n, ab[k], 0, &arr[k]);
  }
  for (size_t i = 0; i < n; i++) {
    ((uint32_t *)p[0])[i] = r[i].id;
    ((int32_t *)p[1])[i] = r[i].code;
    ((uint32_t *)p[2])[i] = r[i].rtt;
  }
  napi_get_undefined(env, &undef);
  napi_call_function(env, undef, cb, 3, arr, NULL);
}

/*
 * Workers per scanner. On loopback and veth a connect scan is CPU-bound in the kernel (perf on a
 * 65535-port loopback scan: ~90% of the time in socket/connect/close on the scanning thread), and that
 * work runs in the calling thread's context, so a second thread on a second core nearly halves it. One per
 * online CPU, at most WP_MAX_WORKERS; PORTSCOPE_NATIVE_THREADS overrides (benchmarks, debugging).
 */
static int worker_count(void) {
  const char *env = getenv("PORTSCOPE_NATIVE_THREADS");
  long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > WP_MAX_WORKERS) n = WP_MAX_WORKERS;
  return (int)n;
}

/* Contiguous shares, one per worker, starting at a rotating worker so that small batches (a window refilled
 * one answer at a time) spread over every thread too. argv[4]: timeoutMs. */
static napi_value submit(napi_env env, struct wp_submit *a) {
  uint32_t timeout = 0;
  napi_get_value_uint32(env, a->argv[4], &timeout);
  wp_pool *p = a->pool;
  size_t n = a->n, share = (n + (size_t)p->n - 1) / (size_t)p->n;
  for (size_t from = 0; from < n; from += share) {
    size_t to = from + share < n ? from + share : n;
    wp_worker *w = p->w[p->rr++ % (unsigned)p->n];
    probe_req *q = wp_queue_reserve(w, to - from);
    if (!q) WP_THROW("out of memory");
    for (size_t i = from; i < to; i++, q++) {
      q->id = a->ids[i];
      q->timeout_ms = timeout;
      q->len = a->salen;
      q->sa = a->sa;
      wp_set_port(&q->sa, a->ports[i]);
    }
    wp_queue_commit(w);
  }
  return NULL;
}

/* Probes started per loop turn: bounded so that answers to earlier probes are read (and timed) promptly
 * instead of waiting behind thousands of new connects. */
#define START_BATCH 256

static const wp_ops OPS = {
    .name = "portscope.connect",
    .closed_msg = "scanner is closed",
    .submit_usage = "submit(handle, address, ids, ports, timeoutMs)",
    .submit_argc = 5,
    .workers = worker_count,
    .submit = submit,
    .req_size = sizeof(probe_req),
    .res_size = sizeof(result_t),
    .start_batch = START_BATCH,
    .start = start_probe,
    .ready = on_ready,
    .timeout = on_timeout,
    .call_js = call_js,
};

/* Called by addon.c: the `connect` object of the one addon. */
napi_value ps_connect_init(napi_env env, napi_value exports) { return wp_define(env, exports, &OPS); }
