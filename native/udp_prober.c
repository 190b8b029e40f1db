/*
 * portscope native UDP prober (Linux).
 *
 * Why native: a connected node:dgram socket hears only the ICMP errors Linux calls "hard" (port
 * unreachable, admin-prohibited...; net/ipv4/udp.c __udp4_lib_err without inet->recverr). Host- and
 * net-unreachable are soft errors and never reach it, so such ports would read as open|filtered where nmap
 * says filtered. With IP_RECVERR / IPV6_RECVERR set (ip(7), ipv6(7)) the kernel queues every ICMP error
 * on the socket's error queue as a struct sock_extended_err carrying the ICMP type and code, which this
 * module reads with recvmsg(MSG_ERRQUEUE). Node's dgram cannot set that option.
 *
 * One worker thread with its own epoll set: one connected, non-blocking UDP socket per probe; EPOLLIN
 * (a datagram) and EPOLLERR (an error queued) end the probe, a deadline heap times it out. It decides
 * nothing: what to probe, timeouts and pacing stay in the TypeScript engine.
 *
 * API (JS thread):
 *   open(callback) -> handle
 *     callback(ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array, seqs: Uint32Array,
 *              icmp: Int32Array, replies: (Buffer | undefined)[])
 *   submit(handle, address, ids: Uint32Array, ports: Uint16Array, payloads: Buffer[], timeoutMs)
 *   close(handle)
 * codes: 0 = a datagram came back (replies[i]), -1 = timed out, > 0 = errno. icmp: -1 = no ICMP detail,
 * else (v6 << 16) | (type << 8) | code of the ICMP / ICMPv6 error. seqs: order in which datagrams left.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
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
#define EVENTFD_TAG UINT64_MAX
#define MAX_REPLY 65536

typedef struct {
  uint32_t id, timeout_ms, plen;
  socklen_t len;
  struct sockaddr_storage sa;
  uint8_t *payload;
} req_t;

typedef struct {
  uint32_t id, gen, seq;
  uint64_t start_ns, deadline_ns;
  int active;
} slot_t;

typedef struct {
  uint64_t deadline_ns;
  int fd;
  uint32_t gen;
} heap_ent;

typedef struct {
  uint32_t id, rtt, seq;
  int32_t code, icmp;
  uint8_t *data;
  uint32_t dlen;
} res_t;

typedef struct {
  res_t *v;
  size_t n, cap;
} res_buf;

typedef struct {
  pthread_t thread;
  pthread_mutex_t mu;
  int epfd, evfd, stop, started, closed;
  req_t *queue;
  size_t qlen, qcap;
  /* thread-only */
  slot_t *slots;
  size_t nslots;
  heap_ent *heap;
  size_t hlen, hcap;
  uint32_t gen, seq;
  res_buf out;
  uint8_t buf[MAX_REPLY];
  napi_threadsafe_function tsfn;
} prober;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t nc = *cap ? *cap : 256;
  while (nc < need) nc *= 2;
  void *np = realloc(*p, nc * elem);
  if (!np) return -1;
  *p = np;
  *cap = nc;
  return 0;
}

static void push_result(prober *s, res_t r) {
  if (grow((void **)&s->out.v, &s->out.cap, s->out.n + 1, sizeof(res_t)) != 0) {
    free(r.data); /* out of memory: the engine sees no outcome only if close() comes; rare enough */
    return;
  }
  s->out.v[s->out.n++] = r;
}

static void heap_push(prober *s, heap_ent e) {
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

static void heap_pop(prober *s) {
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

/* End a probe: report it and close its socket (closing also removes it from the epoll set). */
static void finish(prober *s, int fd, int32_t code, int32_t icmp, const uint8_t *data, uint32_t dlen) {
  slot_t *sl = &s->slots[fd];
  res_t r = {sl->id, (uint32_t)((now_ns() - sl->start_ns) / 1000ull), sl->seq, code, icmp, NULL, 0};
  if (data && dlen > 0) {
    r.data = malloc(dlen);
    if (r.data) {
      memcpy(r.data, data, dlen);
      r.dlen = dlen;
    }
  }
  sl->active = 0;
  close(fd);
  push_result(s, r);
}

/* Read the first queued error. Returns 1 with *code / *icmp set when there was one. ICMP origins carry
 * the type and code (linux/errqueue.h); a local error (EMSGSIZE...) has no ICMP detail. */
static int read_errqueue(int fd, int32_t *code, int32_t *icmp) {
  char control[512];
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    int v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
    int v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
    if (!v4 && !v6) continue;
    struct sock_extended_err ee;
    memcpy(&ee, CMSG_DATA(c), sizeof ee);
    *code = ee.ee_errno ? (int32_t)ee.ee_errno : EIO;
    if (ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6)
      *icmp = ((ee.ee_origin == SO_EE_ORIGIN_ICMP6 ? 1 : 0) << 16) | (ee.ee_type << 8) | ee.ee_code;
    else
      *icmp = -1;
    return 1;
  }
  return 0;
}

static void on_ready(prober *s, int fd) {
  int32_t code = 0, icmp = -1;
  if (read_errqueue(fd, &code, &icmp)) {
    finish(s, fd, code, icmp, NULL, 0);
    return;
  }
  ssize_t n = recv(fd, s->buf, sizeof s->buf, MSG_DONTWAIT);
  if (n >= 0) finish(s, fd, 0, -1, s->buf, (uint32_t)n);
  else if (errno != EAGAIN && errno != EINTR) finish(s, fd, errno, -1, NULL, 0);
}

static void start_probe(prober *s, req_t *r) {
  int fam = r->sa.ss_family;
  int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  res_t fail = {r->id, 0, s->seq++, 0, -1, NULL, 0};
  if (fd < 0) {
    fail.code = errno;
    push_result(s, fail);
    goto out;
  }
  if ((size_t)fd >= s->nslots) {
    size_t n = s->nslots ? s->nslots : 1024;
    while (n <= (size_t)fd) n *= 2;
    slot_t *ns = realloc(s->slots, n * sizeof(slot_t));
    if (!ns) {
      close(fd);
      fail.code = ENOMEM;
      push_result(s, fail);
      goto out;
    }
    memset(ns + s->nslots, 0, (n - s->nslots) * sizeof(slot_t));
    s->slots = ns;
    s->nslots = n;
  }
  int one = 1;
  if (fam == AF_INET) setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
  else setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
  slot_t *sl = &s->slots[fd];
  sl->id = r->id;
  sl->gen = ++s->gen;
  sl->seq = fail.seq;
  sl->start_ns = now_ns();
  sl->deadline_ns = sl->start_ns + (uint64_t)r->timeout_ms * 1000000ull;
  sl->active = 1;
  if (connect(fd, (const struct sockaddr *)&r->sa, r->len) != 0 || send(fd, r->payload, r->plen, 0) < 0) {
    finish(s, fd, errno, -1, NULL, 0);
    goto out;
  }
  struct epoll_event ev;
  ev.events = EPOLLIN;
  ev.data.u64 = ((uint64_t)sl->gen << 32) | (uint32_t)fd;
  if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    finish(s, fd, errno, -1, NULL, 0);
    goto out;
  }
  heap_ent he = {sl->deadline_ns, fd, sl->gen};
  heap_push(s, he);
out:
  free(r->payload);
  r->payload = NULL;
}

static void flush(prober *s) {
  if (s->out.n == 0) return;
  res_buf *copy = malloc(sizeof(res_buf));
  if (!copy) return;
  *copy = s->out;
  memset(&s->out, 0, sizeof s->out);
  if (napi_call_threadsafe_function(s->tsfn, copy, napi_tsfn_blocking) != napi_ok) {
    for (size_t i = 0; i < copy->n; i++) free(copy->v[i].data);
    free(copy->v);
    free(copy);
  }
}

/* Drop stale heap entries; return ms to the next deadline (-1: none), timing out what is due. */
static int expire(prober *s) {
  while (s->hlen > 0) {
    heap_ent top = s->heap[0];
    slot_t *sl = (size_t)top.fd < s->nslots ? &s->slots[top.fd] : NULL;
    if (!sl || !sl->active || sl->gen != top.gen) {
      heap_pop(s);
      continue;
    }
    uint64_t t = now_ns();
    if (top.deadline_ns > t) return (int)((top.deadline_ns - t + 999999ull) / 1000000ull);
    heap_pop(s);
    finish(s, top.fd, CODE_TIMEOUT, -1, NULL, 0);
  }
  return -1;
}

static void *run(void *arg) {
  prober *s = arg;
  struct epoll_event evs[256];
  for (;;) {
    int timeout = expire(s);
    flush(s);
    int n = epoll_wait(s->epfd, evs, 256, timeout);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; i++) {
      uint64_t tag = evs[i].data.u64;
      if (tag == EVENTFD_TAG) {
        uint64_t v;
        ssize_t ignored = read(s->evfd, &v, sizeof v);
        (void)ignored;
        pthread_mutex_lock(&s->mu);
        int stop = s->stop;
        req_t *q = s->queue;
        size_t qn = s->qlen;
        s->queue = NULL;
        s->qlen = s->qcap = 0;
        pthread_mutex_unlock(&s->mu);
        for (size_t k = 0; k < qn; k++) {
          if (stop) free(q[k].payload);
          else start_probe(s, &q[k]);
        }
        free(q);
        if (stop) goto done;
        continue;
      }
      int fd = (int)(uint32_t)tag;
      uint32_t gen = (uint32_t)(tag >> 32);
      if ((size_t)fd >= s->nslots || !s->slots[fd].active || s->slots[fd].gen != gen) continue;
      on_ready(s, fd);
    }
  }
done:
  for (size_t fd = 0; fd < s->nslots; fd++)
    if (s->slots[fd].active) {
      s->slots[fd].active = 0;
      close((int)fd);
    }
  return NULL;
}

/* ---- JS side ---- */

static void call_js(napi_env env, napi_value cb, void *context, void *data) {
  (void)context;
  res_buf *r = data;
  if (env != NULL && cb != NULL) {
    size_t n = r->n;
    void *p[5];
    napi_value ab[5], arr[5], replies, undef;
    napi_typedarray_type types[5] = {napi_uint32_array, napi_int32_array, napi_uint32_array, napi_uint32_array, napi_int32_array};
    for (int k = 0; k < 5; k++) {
      napi_create_arraybuffer(env, n * 4, &p[k], &ab[k]);
      napi_create_typedarray(env, types[k], n, ab[k], 0, &arr[k]);
    }
    napi_get_undefined(env, &undef);
    napi_create_array_with_length(env, n, &replies);
    for (size_t i = 0; i < n; i++) {
      res_t *x = &r->v[i];
      ((uint32_t *)p[0])[i] = x->id;
      ((int32_t *)p[1])[i] = x->code;
      ((uint32_t *)p[2])[i] = x->rtt;
      ((uint32_t *)p[3])[i] = x->seq;
      ((int32_t *)p[4])[i] = x->icmp;
      napi_value b = undef;
      if (x->code == 0) napi_create_buffer_copy(env, x->dlen, x->data ? (const void *)x->data : (const void *)"", NULL, &b);
      napi_set_element(env, replies, (uint32_t)i, b);
    }
    napi_value argv[6] = {arr[0], arr[1], arr[2], arr[3], arr[4], replies};
    napi_call_function(env, undef, cb, 6, argv, NULL);
  }
  for (size_t i = 0; i < r->n; i++) free(r->v[i].data);
  free(r->v);
  free(r);
}

static void stop_prober(prober *s) {
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
  for (size_t k = 0; k < s->qlen; k++) free(s->queue[k].payload);
  s->qlen = 0;
  napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
}

static void free_prober(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  prober *s = data;
  stop_prober(s);
  free(s->queue);
  free(s->slots);
  free(s->heap);
  for (size_t i = 0; i < s->out.n; i++) free(s->out.v[i].data);
  free(s->out.v);
  free(s);
}

#define THROW(msg)                          \
  do {                                      \
    napi_throw_error(env, "E_NATIVE", msg); \
    return NULL;                            \
  } while (0)

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) THROW("open(callback) needs a callback");
  prober *s = calloc(1, sizeof(prober));
  if (!s) THROW("out of memory");
  pthread_mutex_init(&s->mu, NULL);
  s->epfd = epoll_create1(EPOLL_CLOEXEC);
  s->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  napi_value name;
  napi_create_string_utf8(env, "portscope.udp", NAPI_AUTO_LENGTH, &name);
  const char *why = NULL;
  if (s->epfd < 0 || s->evfd < 0) why = "epoll/eventfd unavailable";
  else if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &s->tsfn) != napi_ok)
    why = "cannot create threadsafe function";
  if (!why) {
    struct epoll_event ev;
    ev.events = EPOLLIN;
    ev.data.u64 = EVENTFD_TAG;
    epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->evfd, &ev);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
      napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
      why = "cannot start UDP prober thread";
    }
  }
  if (why) {
    if (s->epfd >= 0) close(s->epfd);
    if (s->evfd >= 0) close(s->evfd);
    free(s);
    THROW(why);
  }
  s->started = 1;
  napi_value ext;
  napi_create_external(env, s, free_prober, NULL, &ext);
  return ext;
}

static napi_value js_submit(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 6) THROW("submit(handle, address, ids, ports, payloads, timeoutMs)");
  prober *s = NULL;
  if (napi_get_value_external(env, argv[0], (void **)&s) != napi_ok || !s || s->closed) THROW("UDP prober is closed");
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
  size_t n1, n2, off;
  void *d1, *d2;
  napi_value ab;
  uint32_t np = 0, timeout = 0;
  if (napi_get_typedarray_info(env, argv[2], &t1, &n1, &d1, &ab, &off) != napi_ok || t1 != napi_uint32_array) THROW("ids must be a Uint32Array");
  if (napi_get_typedarray_info(env, argv[3], &t2, &n2, &d2, &ab, &off) != napi_ok || t2 != napi_uint16_array) THROW("ports must be a Uint16Array");
  if (napi_get_array_length(env, argv[4], &np) != napi_ok || np != n1 || n1 != n2) THROW("ids, ports and payloads differ in length");
  napi_get_value_uint32(env, argv[5], &timeout);
  pthread_mutex_lock(&s->mu);
  if (grow((void **)&s->queue, &s->qcap, s->qlen + n1, sizeof(req_t)) != 0) {
    pthread_mutex_unlock(&s->mu);
    THROW("out of memory");
  }
  for (size_t i = 0; i < n1; i++) {
    napi_value b;
    void *data = NULL;
    size_t len = 0;
    napi_get_element(env, argv[4], (uint32_t)i, &b);
    if (napi_get_buffer_info(env, b, &data, &len) != napi_ok) len = 0;
    req_t *r = &s->queue[s->qlen++];
    r->id = ((uint32_t *)d1)[i];
    r->timeout_ms = timeout;
    r->len = salen;
    r->sa = sa;
    r->plen = (uint32_t)len;
    r->payload = malloc(len ? len : 1);
    if (r->payload && len) memcpy(r->payload, data, len);
    else if (!r->payload) r->plen = 0;
    uint16_t port = htons(((uint16_t *)d2)[i]);
    if (sa.ss_family == AF_INET) ((struct sockaddr_in *)&r->sa)->sin_port = port;
    else ((struct sockaddr_in6 *)&r->sa)->sin6_port = port;
  }
  pthread_mutex_unlock(&s->mu);
  uint64_t one = 1;
  ssize_t ignored = write(s->evfd, &one, sizeof one);
  (void)ignored;
  return NULL;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  prober *s = NULL;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc && napi_get_value_external(env, argv[0], (void **)&s) == napi_ok && s) stop_prober(s);
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
