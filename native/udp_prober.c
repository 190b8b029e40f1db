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
 * nothing: what to probe, timeouts and pacing stay in the TypeScript engine. The thread, queue, deadline
 * heap and JS plumbing are shared with the connect scanner in worker_pool.c.
 *
 * API (JS thread):
 *   open(callback) -> handle
 *     callback(ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array, seqs: Uint32Array,
 *              icmp: Int32Array, replies: (Buffer | undefined)[])
 *   submit(handle, address, ids: Uint32Array, ports: Uint16Array, payloads: Buffer[], timeoutMs, source?)
 *   close(handle)
 * source (optional string): a local address each probe socket binds to (port 0) before connect, so the
 * target's ICMP errors go to that address and spend its own rate-limit bucket (-S, docs/udp.md).
 * codes: 0 = a datagram came back (replies[i]), -1 = timed out, > 0 = errno. icmp: -1 = no ICMP detail,
 * else (v6 << 16) | (type << 8) | code of the ICMP / ICMPv6 error. seqs: order in which datagrams left.
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

#define MAX_REPLY 65536

typedef struct {
  uint32_t id, timeout_ms, plen;
  socklen_t len;
  struct sockaddr_storage sa;
  struct sockaddr_storage src; /* ss_family 0: let the kernel choose the source */
  socklen_t srclen;
  uint8_t *payload;
} req_t;

typedef struct {
  uint32_t id, rtt, seq;
  int32_t code, icmp;
  uint8_t *data;
  uint32_t dlen;
} res_t;

static void push_result(wp_worker *w, res_t r) {
  if (wp_push_result(w, &r) != 0) free(r.data); /* out of memory: no outcome for this probe; rare enough */
}

/* End a probe: report it and close its socket. */
static void finish(wp_worker *w, int fd, int32_t code, int32_t icmp, const uint8_t *data, uint32_t dlen) {
  res_t r = {w->slots[fd].id, wp_elapsed_us(w, fd), w->slots[fd].seq, code, icmp, NULL, 0};
  if (data && dlen > 0) {
    r.data = malloc(dlen);
    if (r.data) {
      memcpy(r.data, data, dlen);
      r.dlen = dlen;
    }
  }
  wp_release(w, fd);
  push_result(w, r);
}

static void on_ready(wp_worker *w, int fd) {
  /* Only the worker thread reads; one reply buffer per call keeps the worker struct protocol-free. */
  uint8_t buf[MAX_REPLY];
  int32_t code = 0, icmp = -1;
  if (wp_read_errqueue(fd, &code, &icmp)) {
    finish(w, fd, code, icmp, NULL, 0);
    return;
  }
  ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  if (n >= 0) finish(w, fd, 0, -1, buf, (uint32_t)n);
  else if (errno != EAGAIN && errno != EINTR) finish(w, fd, errno, -1, NULL, 0);
}

static void on_timeout(wp_worker *w, int fd) { finish(w, fd, WP_CODE_TIMEOUT, -1, NULL, 0); }

static void start_probe(wp_worker *w, void *req) {
  req_t *r = req;
  int fam = r->sa.ss_family;
  int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  res_t fail = {r->id, 0, w->seq++, 0, -1, NULL, 0};
  wp_slot *sl = NULL;
  if (fd < 0) {
    fail.code = errno;
    push_result(w, fail);
    goto out;
  }
  if (!(sl = wp_claim(w, fd, r->id, r->timeout_ms))) {
    close(fd);
    fail.code = ENOMEM;
    push_result(w, fail);
    goto out;
  }
  sl->seq = fail.seq;
  int one = 1;
  if (fam == AF_INET) setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
  else setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
  if ((r->srclen > 0 && bind(fd, (const struct sockaddr *)&r->src, r->srclen) != 0) ||
      connect(fd, (const struct sockaddr *)&r->sa, r->len) != 0 || send(fd, r->payload, r->plen, 0) < 0) {
    finish(w, fd, errno, -1, NULL, 0);
    goto out;
  }
  int err = wp_watch(w, fd, EPOLLIN);
  if (err != 0) finish(w, fd, err, -1, NULL, 0);
out:
  free(r->payload);
  r->payload = NULL;
}

static void discard_req(void *req) { free(((req_t *)req)->payload); }
static void discard_res(void *res) { free(((res_t *)res)->data); }

static void call_js(napi_env env, napi_value cb, wp_batch *b) {
  if (env == NULL || cb == NULL) return;
  const res_t *r = b->v;
  size_t n = b->n;
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
    const res_t *x = &r[i];
    ((uint32_t *)p[0])[i] = x->id;
    ((int32_t *)p[1])[i] = x->code;
    ((uint32_t *)p[2])[i] = x->rtt;
    ((uint32_t *)p[3])[i] = x->seq;
    ((int32_t *)p[4])[i] = x->icmp;
    napi_value buf = undef;
    if (x->code == 0) napi_create_buffer_copy(env, x->dlen, x->data ? (const void *)x->data : (const void *)"", NULL, &buf);
    napi_set_element(env, replies, (uint32_t)i, buf);
  }
  napi_value argv[6] = {arr[0], arr[1], arr[2], arr[3], arr[4], replies};
  napi_call_function(env, undef, cb, 6, argv, NULL);
}

/* Queue the probes of one submit; argv[4]: payloads (Buffer[]), argv[5]: timeoutMs. */
static napi_value submit(napi_env env, struct wp_submit *a) {
  uint32_t np = 0, timeout = 0;
  if (napi_get_array_length(env, a->argv[4], &np) != napi_ok || np != a->n)
    WP_THROW("ids, ports and payloads differ in length");
  napi_get_value_uint32(env, a->argv[5], &timeout);
  struct sockaddr_storage src;
  socklen_t srclen = 0;
  napi_valuetype t = napi_undefined;
  napi_typeof(env, a->argv[6], &t);
  if (t == napi_string) {
    const char *bad = wp_parse_address(env, a->argv[6], &src, &srclen);
    if (bad) WP_THROW(bad);
    if (src.ss_family != a->sa.ss_family) WP_THROW("source and target addresses differ in family");
  } else {
    memset(&src, 0, sizeof src);
  }
  wp_worker *w = a->pool->w[0];
  req_t *q = wp_queue_reserve(w, a->n);
  if (!q) WP_THROW("out of memory");
  for (size_t i = 0; i < a->n; i++, q++) {
    napi_value b;
    void *data = NULL;
    size_t len = 0;
    napi_get_element(env, a->argv[4], (uint32_t)i, &b);
    if (napi_get_buffer_info(env, b, &data, &len) != napi_ok) len = 0;
    q->id = a->ids[i];
    q->timeout_ms = timeout;
    q->len = a->salen;
    q->sa = a->sa;
    q->src = src;
    q->srclen = srclen;
    q->plen = (uint32_t)len;
    q->payload = malloc(len ? len : 1);
    if (q->payload && len) memcpy(q->payload, data, len);
    else if (!q->payload) q->plen = 0;
    wp_set_port(&q->sa, a->ports[i]);
  }
  wp_queue_commit(w);
  return NULL;
}

/* One thread (workers NULL). Every queued probe starts on the next loop turn (start_batch 0): a UDP probe
 * is one send, and the engine's window already bounds how many are queued. */
static const wp_ops OPS = {
    .name = "portscope.udp",
    .closed_msg = "UDP prober is closed",
    .submit_usage = "submit(handle, address, ids, ports, payloads, timeoutMs[, source])",
    .submit_argc = 6,
    .submit = submit,
    .req_size = sizeof(req_t),
    .res_size = sizeof(res_t),
    .start_batch = 0,
    .start = start_probe,
    .ready = on_ready,
    .timeout = on_timeout,
    .discard_req = discard_req,
    .discard_res = discard_res,
    .call_js = call_js,
};

/* Called by addon.c: the `udp` object of the one addon. */
napi_value ps_udp_init(napi_env env, napi_value exports) { return wp_define(env, exports, &OPS); }
