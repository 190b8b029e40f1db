/*
 * portscope native worker pool: threads, epoll loop, queues, deadline heap, threadsafe-function plumbing
 * and worker lifecycle shared by connect_scanner.c and udp_prober.c (see worker_pool.h; the exports are in
 * pool_exports.c).
 */
#define _GNU_SOURCE
#include "worker_pool.h"
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define EVENTFD_TAG UINT64_MAX
#define MAX_EVENTS 1024

uint64_t wp_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int wp_vec_reserve(wp_vec *v, size_t need, size_t elem) {
  if (need <= v->cap) return 0;
  size_t nc = v->cap ? v->cap : 1024;
  while (nc < need) nc *= 2;
  void *np = realloc(v->v, nc * elem);
  if (!np) return -1;
  v->v = np;
  v->cap = nc;
  return 0;
}

#define HEAP(w) ((wp_heap_ent *)(w)->heap.v)

static void heap_push(wp_worker *w, wp_heap_ent e) {
  if (wp_vec_reserve(&w->heap, w->heap.n + 1, sizeof(wp_heap_ent)) != 0) return;
  wp_heap_ent *h = HEAP(w);
  size_t i = w->heap.n++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (h[p].deadline_ns <= e.deadline_ns) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = e;
}

static void heap_pop(wp_worker *w) {
  wp_heap_ent *h = HEAP(w);
  wp_heap_ent last = h[--w->heap.n];
  size_t i = 0, len = w->heap.n;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    uint64_t md = last.deadline_ns;
    if (l < len && h[l].deadline_ns < md) { m = l; md = h[l].deadline_ns; }
    if (r < len && h[r].deadline_ns < md) m = r;
    if (m == i) break;
    h[i] = h[m];
    i = m;
  }
  if (len > 0) h[i] = last;
}

static int live(const wp_worker *w, int fd, uint32_t gen) {
  return (size_t)fd < w->nslots && w->slots[fd].active && w->slots[fd].gen == gen;
}

wp_slot *wp_claim(wp_worker *w, int fd, uint32_t id, uint32_t timeout_ms) {
  if ((size_t)fd >= w->nslots) {
    size_t n = w->nslots ? w->nslots : 4096;
    while (n <= (size_t)fd) n *= 2;
    wp_slot *ns = realloc(w->slots, n * sizeof(wp_slot));
    if (!ns) return NULL;
    memset(ns + w->nslots, 0, (n - w->nslots) * sizeof(wp_slot));
    w->slots = ns;
    w->nslots = n;
  }
  wp_slot *sl = &w->slots[fd];
  sl->id = id;
  sl->gen = ++w->gen;
  sl->start_ns = wp_now_ns();
  sl->deadline_ns = sl->start_ns + (uint64_t)timeout_ms * 1000000ull;
  sl->active = 1;
  return sl;
}

int wp_watch(wp_worker *w, int fd, uint32_t events) {
  wp_slot *sl = &w->slots[fd];
  struct epoll_event ev;
  ev.events = events;
  ev.data.u64 = ((uint64_t)sl->gen << 32) | (uint32_t)fd;
  if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) return errno;
  wp_heap_ent he = {sl->deadline_ns, fd, sl->gen};
  heap_push(w, he);
  return 0;
}

uint32_t wp_elapsed_us(const wp_worker *w, int fd) {
  return (uint32_t)((wp_now_ns() - w->slots[fd].start_ns) / 1000ull);
}

void wp_release(wp_worker *w, int fd) {
  w->slots[fd].active = 0;
  close(fd);
}

int wp_push_result(wp_worker *w, const void *res) {
  size_t sz = w->ops->res_size;
  if (wp_vec_reserve(&w->out, w->out.n + 1, sz) != 0) return -1;
  memcpy((char *)w->out.v + w->out.n++ * sz, res, sz);
  return 0;
}

static void discard_results(const wp_ops *ops, void *v, size_t n) {
  if (ops->discard_res)
    for (size_t i = 0; i < n; i++) ops->discard_res((char *)v + i * ops->res_size);
  free(v);
}

static void flush(wp_worker *w) {
  wp_batch *b = malloc(sizeof(wp_batch));
  if (!b) return;
  b->v = w->out.v;
  b->n = w->out.n;
  memset(&w->out, 0, sizeof w->out);
  if (napi_call_threadsafe_function(w->tsfn, b, napi_tsfn_blocking) != napi_ok) {
    discard_results(w->ops, b->v, b->n);
    free(b);
  }
}

/* ms to the next live deadline (-1: none, 0: one is due), dropping entries of probes already ended. */
static int next_timeout_ms(wp_worker *w) {
  while (w->heap.n > 0) {
    wp_heap_ent *top = &HEAP(w)[0];
    if (!live(w, top->fd, top->gen)) {
      heap_pop(w);
      continue;
    }
    uint64_t t = wp_now_ns();
    if (top->deadline_ns <= t) return 0;
    return (int)((top->deadline_ns - t + 999999ull) / 1000000ull);
  }
  return -1;
}

/* Called after ready sockets were read, so a probe is only timed out when its answer is really missing. */
static void expire(wp_worker *w) {
  uint64_t t = wp_now_ns();
  while (w->heap.n > 0) {
    wp_heap_ent top = HEAP(w)[0];
    if (!live(w, top.fd, top.gen)) {
      heap_pop(w);
      continue;
    }
    if (top.deadline_ns > t) break;
    heap_pop(w);
    w->ops->timeout(w, top.fd);
  }
}

/* Move the shared queue to the thread's local one: swap buffers when local is empty (no copy, and the
 * submitter keeps a buffer to fill), else append. Returns the stop flag. */
static int take_queue(wp_worker *w, wp_vec *local, size_t *head) {
  size_t sz = w->ops->req_size;
  if (*head == local->n) *head = local->n = 0;
  pthread_mutex_lock(&w->mu);
  int stop = w->stop;
  if (w->queue.n > 0) {
    if (local->n == 0) {
      wp_vec t = *local;
      *local = w->queue;
      w->queue = t;
    } else if (wp_vec_reserve(local, local->n + w->queue.n, sz) == 0) {
      memcpy((char *)local->v + local->n * sz, w->queue.v, w->queue.n * sz);
      local->n += w->queue.n;
      w->queue.n = 0;
    }
  }
  pthread_mutex_unlock(&w->mu);
  return stop;
}

/* One turn: flush results, wait for sockets (not at all while probes wait to start), handle the ready ones,
 * time out what is due, then start at most ops->start_batch queued probes. */
static void *run(void *arg) {
  wp_worker *w = arg;
  const wp_ops *ops = w->ops;
  struct epoll_event evs[MAX_EVENTS];
  wp_vec local = {NULL, 0, 0};
  size_t head = 0;
  for (;;) {
    int timeout = head < local.n ? 0 : next_timeout_ms(w);
    if (w->out.n > 0) flush(w);
    int n = epoll_wait(w->epfd, evs, MAX_EVENTS, timeout);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; i++) {
      uint64_t tag = evs[i].data.u64;
      if (tag == EVENTFD_TAG) {
        uint64_t v;
        ssize_t ignored = read(w->evfd, &v, sizeof v);
        (void)ignored;
        if (take_queue(w, &local, &head)) goto done;
        continue;
      }
      int fd = (int)(uint32_t)tag;
      if (live(w, fd, (uint32_t)(tag >> 32))) ops->ready(w, fd);
    }
    expire(w);
    size_t end = ops->start_batch && local.n - head > ops->start_batch ? head + ops->start_batch : local.n;
    while (head < end) ops->start(w, (char *)local.v + head++ * ops->req_size);
  }
done:
  if (ops->discard_req)
    for (; head < local.n; head++) ops->discard_req((char *)local.v + head * ops->req_size);
  free(local.v);
  for (size_t fd = 0; fd < w->nslots; fd++)
    if (w->slots[fd].active) wp_release(w, (int)fd);
  return NULL;
}

/* ---- JS side ---- */

static void call_js(napi_env env, napi_value cb, void *context, void *data) {
  const wp_ops *ops = context;
  wp_batch *b = data;
  ops->call_js(env, cb, b);
  discard_results(ops, b->v, b->n);
  free(b);
}

static void wake(wp_worker *w) {
  uint64_t one = 1;
  ssize_t ignored = write(w->evfd, &one, sizeof one);
  (void)ignored;
}

void wp_worker_stop(wp_worker *w) {
  if (w->closed) return;
  w->closed = 1;
  if (w->started) {
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_mutex_unlock(&w->mu);
    wake(w);
    pthread_join(w->thread, NULL);
  }
  close(w->epfd);
  close(w->evfd);
  if (w->ops->discard_req)
    for (size_t k = 0; k < w->queue.n; k++) w->ops->discard_req((char *)w->queue.v + k * w->ops->req_size);
  w->queue.n = 0;
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
}

void wp_worker_free(wp_worker *w) {
  wp_worker_stop(w);
  free(w->queue.v);
  free(w->slots);
  free(w->heap.v);
  discard_results(w->ops, w->out.v, w->out.n);
  free(w);
}

wp_worker *wp_worker_open(napi_env env, napi_value cb, const wp_ops *ops, const char **why) {
  wp_worker *w = calloc(1, sizeof(wp_worker));
  if (!w) {
    *why = "out of memory";
    return NULL;
  }
  w->ops = ops;
  pthread_mutex_init(&w->mu, NULL);
  w->epfd = epoll_create1(EPOLL_CLOEXEC);
  w->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  napi_value name;
  napi_create_string_utf8(env, ops->name, NAPI_AUTO_LENGTH, &name);
  if (w->epfd < 0 || w->evfd < 0) {
    *why = "epoll/eventfd unavailable";
  } else if (napi_create_threadsafe_function(env, cb, NULL, name, 0, 1, NULL, NULL, (void *)ops, call_js,
                                             &w->tsfn) != napi_ok) {
    *why = "cannot create threadsafe function";
  } else {
    struct epoll_event ev;
    ev.events = EPOLLIN;
    ev.data.u64 = EVENTFD_TAG;
    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->evfd, &ev);
    if (pthread_create(&w->thread, NULL, run, w) == 0) {
      w->started = 1;
      return w;
    }
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    *why = "cannot start worker thread";
  }
  if (w->epfd >= 0) close(w->epfd);
  if (w->evfd >= 0) close(w->evfd);
  free(w);
  return NULL;
}

void *wp_queue_reserve(wp_worker *w, size_t n) {
  pthread_mutex_lock(&w->mu);
  if (wp_vec_reserve(&w->queue, w->queue.n + n, w->ops->req_size) != 0) {
    pthread_mutex_unlock(&w->mu);
    return NULL;
  }
  void *at = (char *)w->queue.v + w->queue.n * w->ops->req_size;
  w->queue.n += n;
  return at;
}

void wp_queue_commit(wp_worker *w) {
  pthread_mutex_unlock(&w->mu);
  wake(w);
}

/* The first error queued on fd (IP_RECVERR / IPV6_RECVERR, ip(7) / ipv6(7)): 1 with *code (errno) and
 * *icmp ((v6 << 16) | (type << 8) | code of an ICMP origin, else -1) set; 0 when none is queued. */
int wp_read_errqueue(int fd, int32_t *code, int32_t *icmp) {
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
