/*
 * portscope native connect backend (Linux).
 *
 * Why native: a TCP connect scan spends its time on per-socket overhead. Node's net.Socket costs several
 * JS objects, a libuv handle and stream machinery per probe (~17k probes/s on loopback here). This module
 * does the same syscalls a C scanner does (socket, connect, epoll, getsockopt, close) on dedicated worker
 * threads (one per CPU, at most 4; see worker_count) and hands results back to JavaScript in batches.
 * It decides nothing: what to probe, timeouts, retries and pacing stay in the TypeScript engine, which
 * submits probes and reads outcomes.
 *
 * API (all called from the JS thread):
 *   open(callback)                          -> handle; callback(ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array)
 *   submit(handle, address, ids, ports, timeoutMs)   queue probes to one address (IPv4 or IPv6 text)
 *   close(handle)                           stop the thread, close every socket, release the callback
 * Outcome codes: 0 connected, >0 errno (ECONNREFUSED, EHOSTUNREACH, ...), -1 timed out, -2 connected to itself.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CODE_TIMEOUT (-1)
#define CODE_SELF (-2)
#define EVENTFD_TAG UINT64_MAX

typedef struct {
  uint32_t id;
  uint32_t timeout_ms;
  socklen_t len;
  struct sockaddr_storage sa;
} probe_req;

typedef struct {
  uint32_t id;
  uint32_t gen;
  uint64_t start_ns;
  uint64_t deadline_ns;
  int active;
} slot_t;

typedef struct {
  uint64_t deadline_ns;
  int fd;
  uint32_t gen;
} heap_ent;

typedef struct {
  uint32_t *ids;
  int32_t *codes;
  uint32_t *rtt;
  size_t n, cap;
} result_buf;

typedef struct scanner {
  pthread_t thread;
  pthread_mutex_t mu;
  int epfd, evfd;
  int stop;
  int started;
  probe_req *queue;
  size_t qlen, qcap;
  /* thread-only state */
  slot_t *slots;
  size_t nslots;
  heap_ent *heap;
  size_t hlen, hcap;
  uint32_t gen;
  result_buf out;
  napi_threadsafe_function tsfn;
  int closed;
} scanner;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t nc = *cap ? *cap : 1024;
  while (nc < need) nc *= 2;
  void *np = realloc(*p, nc * elem);
  if (!np) return -1;
  *p = np;
  *cap = nc;
  return 0;
}

static void out_push(scanner *s, uint32_t id, int32_t code, uint32_t rtt) {
  result_buf *o = &s->out;
  if (o->n == o->cap) {
    size_t nc = o->cap ? o->cap * 2 : 1024;
    uint32_t *a = realloc(o->ids, nc * sizeof(uint32_t));
    if (a) o->ids = a;
    int32_t *b = realloc(o->codes, nc * sizeof(int32_t));
    if (b) o->codes = b;
    uint32_t *c = realloc(o->rtt, nc * sizeof(uint32_t));
    if (c) o->rtt = c;
    if (!a || !b || !c) return; /* out of memory: the engine times the probe out and retries it */
    o->cap = nc;
  }
  o->ids[o->n] = id;
  o->codes[o->n] = code;
  o->rtt[o->n] = rtt;
  o->n++;
}

static void heap_push(scanner *s, heap_ent e) {
  if (grow((void **)&s->heap, &s->hcap, s->hlen + 1, sizeof(heap_ent)) != 0) return;
  size_t i = s->hlen++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (s->heap[p].deadline_ns <= e.deadline_ns) break;
    s->heap[i] = s->heap[p];
    i = p;
  }
  s->heap[i] = e;
}

static void heap_pop(scanner *s) {
  heap_ent last = s->heap[--s->hlen];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    uint64_t md = last.deadline_ns;
    if (l < s->hlen && s->heap[l].deadline_ns < md) { m = l; md = s->heap[l].deadline_ns; }
    if (r < s->hlen && s->heap[r].deadline_ns < md) m = r;
    if (m == i) break;
    s->heap[i] = s->heap[m];
    i = m;
  }
  if (s->hlen > 0) s->heap[i] = last;
}

static int ensure_slot(scanner *s, int fd) {
  if ((size_t)fd < s->nslots) return 0;
  size_t n = s->nslots ? s->nslots : 4096;
  while (n <= (size_t)fd) n *= 2;
  slot_t *ns = realloc(s->slots, n * sizeof(slot_t));
  if (!ns) return -1;
  memset(ns + s->nslots, 0, (n - s->nslots) * sizeof(slot_t));
  s->slots = ns;
  s->nslots = n;
  return 0;
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

static void finish(scanner *s, int fd, int32_t code) {
  slot_t *sl = &s->slots[fd];
  uint64_t t = now_ns();
  uint32_t rtt = (uint32_t)((t - sl->start_ns) / 1000ull);
  if (code == 0 && is_self_connect(fd)) code = CODE_SELF;
  out_push(s, sl->id, code, rtt);
  sl->active = 0;
  if (code == 0 || code == CODE_SELF) {
    /* SO_LINGER 0: close() sends RST instead of FIN, so an open port's service sees a reset, not a session.
     * Set only on connected sockets: a refused or silent one has nothing to linger, and a syscall per probe
     * is measurable on loopback (perf: setsockopt ~3% of a full-range scan). */
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  }
  close(fd); /* closing removes it from the epoll set */
}

static void start_probe(scanner *s, const probe_req *r) {
  int fd = socket(r->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    out_push(s, r->id, errno, 0);
    return;
  }
  if (ensure_slot(s, fd) != 0) {
    close(fd);
    out_push(s, r->id, ENOMEM, 0);
    return;
  }
  slot_t *sl = &s->slots[fd];
  sl->id = r->id;
  sl->gen = ++s->gen;
  sl->start_ns = now_ns();
  sl->deadline_ns = sl->start_ns + (uint64_t)r->timeout_ms * 1000000ull;
  sl->active = 1;
  int rc = connect(fd, (const struct sockaddr *)&r->sa, r->len);
  if (rc == 0) {
    finish(s, fd, 0);
    return;
  }
  if (errno != EINPROGRESS) {
    finish(s, fd, errno);
    return;
  }
  /* On loopback and veth the SYN and the target's RST (or ICMP error) are processed in this very syscall
   * (the receive softirq runs when connect() re-enables bottom halves), so the socket often carries its
   * error already. Reading it now saves epoll_ctl, the epoll wakeup and the epoll removal on close (perf:
   * ~10% of a loopback full-range scan). A zero error here is ambiguous (pending or connected): wait. */
  int err = 0;
  socklen_t el = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err != 0) {
    finish(s, fd, err);
    return;
  }
  struct epoll_event ev;
  ev.events = EPOLLOUT;
  ev.data.u64 = ((uint64_t)sl->gen << 32) | (uint32_t)fd;
  if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    finish(s, fd, errno);
    return;
  }
  heap_ent he = {sl->deadline_ns, fd, sl->gen};
  heap_push(s, he);
}

static void flush(scanner *s) {
  if (s->out.n == 0) return;
  result_buf *copy = malloc(sizeof(result_buf));
  if (!copy) return;
  *copy = s->out;
  memset(&s->out, 0, sizeof s->out);
  if (napi_call_threadsafe_function(s->tsfn, copy, napi_tsfn_blocking) != napi_ok) {
    free(copy->ids);
    free(copy->codes);
    free(copy->rtt);
    free(copy);
  }
}

/* Probes started per loop turn: bounded so that answers to earlier probes are read (and timed) promptly
 * instead of waiting behind thousands of new connects. */
#define START_BATCH 256

static int next_timeout_ms(scanner *s) {
  while (s->hlen > 0) {
    heap_ent *top = &s->heap[0];
    slot_t *sl = (size_t)top->fd < s->nslots ? &s->slots[top->fd] : NULL;
    if (!sl || !sl->active || sl->gen != top->gen) {
      heap_pop(s);
      continue;
    }
    uint64_t t = now_ns();
    if (top->deadline_ns <= t) return 0;
    return (int)((top->deadline_ns - t + 999999ull) / 1000000ull);
  }
  return -1;
}

/* Called after ready sockets were read, so a probe is only timed out when its answer is really missing. */
static void expire(scanner *s) {
  uint64_t t = now_ns();
  while (s->hlen > 0) {
    heap_ent top = s->heap[0];
    slot_t *sl = (size_t)top.fd < s->nslots ? &s->slots[top.fd] : NULL;
    if (!sl || !sl->active || sl->gen != top.gen) {
      heap_pop(s);
      continue;
    }
    if (top.deadline_ns > t) break;
    heap_pop(s);
    finish(s, top.fd, CODE_TIMEOUT);
  }
}

static void *run(void *arg) {
  scanner *s = arg;
  struct epoll_event evs[1024];
  probe_req *local = NULL;
  size_t lcap = 0, llen = 0, lhead = 0;
  for (;;) {
    int timeout = lhead < llen ? 0 : next_timeout_ms(s);
    if (s->out.n > 0) flush(s);
    int n = epoll_wait(s->epfd, evs, 1024, timeout);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; i++) {
      uint64_t tag = evs[i].data.u64;
      if (tag == EVENTFD_TAG) {
        uint64_t v;
        ssize_t ignored = read(s->evfd, &v, sizeof v);
        (void)ignored;
        if (lhead == llen) lhead = llen = 0;
        pthread_mutex_lock(&s->mu);
        int stop = s->stop;
        size_t qn = s->qlen;
        if (qn > 0 && grow((void **)&local, &lcap, llen + qn, sizeof(probe_req)) == 0) {
          memcpy(local + llen, s->queue, qn * sizeof(probe_req));
          llen += qn;
          s->qlen = 0;
        }
        pthread_mutex_unlock(&s->mu);
        if (stop) goto done;
        continue;
      }
      int fd = (int)(uint32_t)tag;
      uint32_t gen = (uint32_t)(tag >> 32);
      if ((size_t)fd >= s->nslots || !s->slots[fd].active || s->slots[fd].gen != gen) continue;
      int err = 0;
      socklen_t el = sizeof err;
      if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0) err = errno;
      finish(s, fd, err);
    }
    expire(s);
    for (int k = 0; k < START_BATCH && lhead < llen; k++) start_probe(s, &local[lhead++]);
  }
done:
  free(local);
  for (size_t fd = 0; fd < s->nslots; fd++) {
    if (s->slots[fd].active) {
      s->slots[fd].active = 0;
      close((int)fd);
    }
  }
  return NULL;
}

/* ---- JS side ---- */

static void call_js(napi_env env, napi_value cb, void *context, void *data) {
  (void)context;
  result_buf *r = data;
  if (env != NULL && cb != NULL) {
    napi_value ab1, ab2, ab3, ids, codes, rtt, undef;
    void *p1, *p2, *p3;
    size_t n = r->n;
    napi_create_arraybuffer(env, n * 4, &p1, &ab1);
    napi_create_arraybuffer(env, n * 4, &p2, &ab2);
    napi_create_arraybuffer(env, n * 4, &p3, &ab3);
    memcpy(p1, r->ids, n * 4);
    memcpy(p2, r->codes, n * 4);
    memcpy(p3, r->rtt, n * 4);
    napi_create_typedarray(env, napi_uint32_array, n, ab1, 0, &ids);
    napi_create_typedarray(env, napi_int32_array, n, ab2, 0, &codes);
    napi_create_typedarray(env, napi_uint32_array, n, ab3, 0, &rtt);
    napi_get_undefined(env, &undef);
    napi_value argv[3] = {ids, codes, rtt};
    napi_call_function(env, undef, cb, 3, argv, NULL);
  }
  free(r->ids);
  free(r->codes);
  free(r->rtt);
  free(r);
}

static void stop_scanner(scanner *s) {
  if (s->closed) return;
  s->closed = 1;
  if (s->started) {
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_mutex_unlock(&s->mu);
    uint64_t one = 1;
    ssize_t ignored = write(s->evfd, &one, sizeof one);
    (void)ignored;
    pthread_join(s->thread, NULL);
  }
  close(s->epfd);
  close(s->evfd);
  napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
}

static void free_worker(scanner *s) {
  stop_scanner(s);
  free(s->queue);
  free(s->slots);
  free(s->heap);
  free(s->out.ids);
  free(s->out.codes);
  free(s->out.rtt);
  free(s);
}

/* A worker: one thread with its own epoll set, queue and sockets, reporting through its own threadsafe
 * function to the one JS callback. Returns NULL with *why set on failure. */
static scanner *worker_open(napi_env env, napi_value cb, const char **why) {
  scanner *s = calloc(1, sizeof(scanner));
  if (!s) {
    *why = "out of memory";
    return NULL;
  }
  pthread_mutex_init(&s->mu, NULL);
  s->epfd = epoll_create1(EPOLL_CLOEXEC);
  s->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s->epfd < 0 || s->evfd < 0) {
    if (s->epfd >= 0) close(s->epfd);
    if (s->evfd >= 0) close(s->evfd);
    free(s);
    *why = "epoll/eventfd unavailable";
    return NULL;
  }
  struct epoll_event ev;
  ev.events = EPOLLIN;
  ev.data.u64 = EVENTFD_TAG;
  epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->evfd, &ev);
  napi_value name;
  napi_create_string_utf8(env, "portscope.connect", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, cb, NULL, name, 0, 1, NULL, NULL, NULL, call_js, &s->tsfn) != napi_ok) {
    close(s->epfd);
    close(s->evfd);
    free(s);
    *why = "cannot create threadsafe function";
    return NULL;
  }
  if (pthread_create(&s->thread, NULL, run, s) != 0) {
    napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
    close(s->epfd);
    close(s->evfd);
    free(s);
    *why = "cannot start scanner thread";
    return NULL;
  }
  s->started = 1;
  return s;
}

/*
 * Workers per scanner. On loopback and veth a connect scan is CPU-bound in the kernel (perf on a
 * 65535-port loopback scan: ~90% of the time in socket/connect/close on the scanning thread), and that
 * work runs in the calling thread's context, so a second thread on a second core nearly halves it. One per
 * online CPU, at most MAX_WORKERS; PORTSCOPE_NATIVE_THREADS overrides (benchmarks, debugging).
 */
#define MAX_WORKERS 4

typedef struct {
  scanner *w[MAX_WORKERS];
  int n;
  unsigned rr;
} pool;

static int worker_count(void) {
  const char *env = getenv("PORTSCOPE_NATIVE_THREADS");
  long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > MAX_WORKERS) n = MAX_WORKERS;
  return (int)n;
}

static void free_pool(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  pool *p = data;
  for (int i = 0; i < p->n; i++) free_worker(p->w[i]);
  free(p);
}

#define THROW(msg)                              \
  do {                                          \
    napi_throw_error(env, "E_NATIVE", msg);     \
    return NULL;                                \
  } while (0)

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) THROW("open(callback) needs a callback");
  pool *p = calloc(1, sizeof(pool));
  if (!p) THROW("out of memory");
  int want = worker_count();
  const char *why = NULL;
  for (int i = 0; i < want; i++) {
    scanner *s = worker_open(env, argv[0], &why);
    if (!s) break;
    p->w[p->n++] = s;
  }
  if (p->n == 0) {
    free(p);
    THROW(why ? why : "cannot start scanner thread");
  }
  napi_value ext;
  napi_create_external(env, p, free_pool, NULL, &ext);
  return ext;
}

static pool *get_pool(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return p;
}

/* Queue probes [from, to) on one worker and wake it. */
static int enqueue(scanner *s, const struct sockaddr_storage *sa, socklen_t salen, const uint32_t *ids,
                   const uint16_t *ports, size_t from, size_t to, uint32_t timeout) {
  pthread_mutex_lock(&s->mu);
  if (grow((void **)&s->queue, &s->qcap, s->qlen + (to - from), sizeof(probe_req)) != 0) {
    pthread_mutex_unlock(&s->mu);
    return -1;
  }
  for (size_t i = from; i < to; i++) {
    probe_req *r = &s->queue[s->qlen++];
    r->id = ids[i];
    r->timeout_ms = timeout;
    r->len = salen;
    r->sa = *sa;
    if (sa->ss_family == AF_INET)
      ((struct sockaddr_in *)&r->sa)->sin_port = htons(ports[i]);
    else
      ((struct sockaddr_in6 *)&r->sa)->sin6_port = htons(ports[i]);
  }
  pthread_mutex_unlock(&s->mu);
  uint64_t one = 1;
  ssize_t ignored = write(s->evfd, &one, sizeof one);
  (void)ignored;
  return 0;
}

static napi_value js_submit(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 5) THROW("submit(handle, address, ids, ports, timeoutMs)");
  pool *p = get_pool(env, argv[0]);
  if (!p || p->w[0]->closed) THROW("scanner is closed");
  char addr[64];
  size_t alen = 0;
  if (napi_get_value_string_utf8(env, argv[1], addr, sizeof addr, &alen) != napi_ok) THROW("address must be a string");
  struct sockaddr_storage sa;
  socklen_t salen;
  memset(&sa, 0, sizeof sa);
  struct sockaddr_in *s4 = (struct sockaddr_in *)&sa;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&sa;
  if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
    s4->sin_family = AF_INET;
    salen = sizeof *s4;
  } else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
    s6->sin6_family = AF_INET6;
    salen = sizeof *s6;
  } else {
    THROW("not an IP address");
  }
  napi_typedarray_type t1, t2;
  size_t n1, n2;
  void *d1, *d2;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, argv[2], &t1, &n1, &d1, &ab, &off) != napi_ok || t1 != napi_uint32_array)
    THROW("ids must be a Uint32Array");
  if (napi_get_typedarray_info(env, argv[3], &t2, &n2, &d2, &ab, &off) != napi_ok || t2 != napi_uint16_array)
    THROW("ports must be a Uint16Array");
  if (n1 != n2) THROW("ids and ports differ in length");
  uint32_t timeout = 0;
  napi_get_value_uint32(env, argv[4], &timeout);
  /* Contiguous shares, one per worker, starting at a rotating worker so that small batches (a window
   * refilled one answer at a time) spread over every thread too. */
  size_t share = (n1 + (size_t)p->n - 1) / (size_t)p->n;
  for (size_t from = 0; from < n1; from += share) {
    size_t to = from + share < n1 ? from + share : n1;
    scanner *s = p->w[p->rr++ % (unsigned)p->n];
    if (enqueue(s, &sa, salen, d1, d2, from, to, timeout) != 0) THROW("out of memory");
  }
  return NULL;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  pool *p = argc ? get_pool(env, argv[0]) : NULL;
  if (p)
    for (int i = 0; i < p->n; i++) stop_scanner(p->w[i]);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"submit", NULL, js_submit, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
