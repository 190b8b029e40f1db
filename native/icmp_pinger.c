/*
 * portscope native ICMP echo pinger (Linux): host discovery's -PE (docs/scale.md, "ICMP echo").
 *
 * Node has no ICMP socket. Two kinds exist without a helper process:
 *  - "ping sockets", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) and (AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6):
 *    no privilege needed when the process's group is inside net.ipv4.ping_group_range (per network
 *    namespace; the kernel checks the same sysctl for IPv6, net/ipv4/ping.c ping_init_sock). The kernel
 *    sets the echo identifier to the socket's "port", fills the checksum and hands this socket only the
 *    replies carrying its identifier (icmp(7), "ping socket").
 *  - raw sockets, SOCK_RAW with IPPROTO_ICMP / IPPROTO_ICMPV6, which need CAP_NET_RAW (raw(7)). They see
 *    every ICMP message, so this code matches the reply's source (connect() filters it), type, identifier
 *    and sequence itself. IPv4 raw sockets receive the IP header and need our checksum (RFC 792); for
 *    ICMPv6 the kernel computes the checksum over the pseudo-header (RFC 4443 2.3, raw(7) / ipv6(7)).
 *
 * One socket per probe, as udp_prober.c: connected, with IP_RECVERR / IPV6_RECVERR so an ICMP error about
 * the echo (host unreachable, admin prohibited) arrives with its type and code. The worker pool, deadline
 * heap and JS plumbing are worker_pool.c's. It decides nothing: the engine chooses timeouts and retries.
 *
 * API (JS thread):
 *   open(callback) -> handle
 *     callback(ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array, icmp: Int32Array)
 *   submit(handle, address, ids: Uint32Array, seqs: Uint16Array, timeoutMs, raw: boolean)
 *   close(handle)
 *   capability(family: 4 | 6) -> "dgram" | "raw" | errno (number): which socket this process may open now
 * codes: 0 = echo reply, -1 = timed out, > 0 = errno. icmp: -1, or (v6 << 16) | (type << 8) | code of an
 * ICMP error about the echo.
 */
#define _GNU_SOURCE
#include "worker_pool.h"
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define ECHO_REQUEST_V4 8
#define ECHO_REPLY_V4 0
#define ECHO_REQUEST_V6 128
#define ECHO_REPLY_V6 129
#define PAYLOAD_LEN 16

typedef struct {
  uint32_t id, timeout_ms;
  uint16_t seq;
  int raw;
  socklen_t len;
  struct sockaddr_storage sa;
} req_t;

typedef struct {
  uint32_t id, rtt;
  int32_t code, icmp;
} res_t;

static void finish(wp_worker *w, int fd, int32_t code, int32_t icmp) {
  res_t r = {w->slots[fd].id, wp_elapsed_us(w, fd), code, icmp};
  wp_release(w, fd);
  wp_push_result(w, &r);
}

/* RFC 1071 Internet checksum (IPv4 ICMP on raw sockets only). */
static uint16_t checksum(const uint8_t *p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t)(p[i] << 8 | p[i + 1]);
  if (n & 1) sum += (uint32_t)p[n - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

/* The probe's identifier (raw sockets only; the kernel picks it for ping sockets) and sequence, kept in
 * the slot's seq field: id << 16 | seq. */
static uint16_t raw_ident(uint32_t probe_id) { return (uint16_t)((probe_id * 2654435761u) >> 16); }

static void on_ready(wp_worker *w, int fd) {
  uint8_t buf[1500];
  int32_t code = 0, icmp = -1;
  if (wp_read_errqueue(fd, &code, &icmp)) {
    finish(w, fd, code, icmp);
    return;
  }
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) finish(w, fd, errno, -1);
      return;
    }
    /* The socket tells its family and kind (socket(7) SO_DOMAIN, SO_TYPE): no per-probe table needed. */
    int domain = 0, type_opt = 0;
    socklen_t ol = sizeof domain;
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &ol);
    ol = sizeof type_opt;
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type_opt, &ol);
    int v6 = domain == AF_INET6;
    const uint8_t *p = buf;
    size_t len = (size_t)n;
    if (type_opt == SOCK_RAW && !v6) {
      /* IPv4 raw sockets deliver the IP header first (raw(7)). */
      if (len < 20) continue;
      size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
      if (ihl < 20 || len < ihl) continue;
      p += ihl;
      len -= ihl;
    }
    if (len < 8) continue;
    uint32_t want = w->slots[fd].seq;
    if (p[0] != (v6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4) || p[1] != 0) continue; /* not a reply: keep waiting */
    uint16_t ident = (uint16_t)(p[4] << 8 | p[5]), seq = (uint16_t)(p[6] << 8 | p[7]);
    if (seq != (want & 0xffff)) continue;
    if (type_opt == SOCK_RAW && ident != (want >> 16)) continue; /* another prober's echo */
    finish(w, fd, 0, -1);
    return;
  }
}

static void on_timeout(wp_worker *w, int fd) { finish(w, fd, WP_CODE_TIMEOUT, -1); }

static void start_probe(wp_worker *w, void *req) {
  req_t *r = req;
  int fam = r->sa.ss_family;
  int proto = fam == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
  int fd = socket(fam, (r->raw ? SOCK_RAW : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  res_t fail = {r->id, 0, 0, -1};
  if (fd < 0) {
    fail.code = errno;
    wp_push_result(w, &fail);
    return;
  }
  wp_slot *sl = wp_claim(w, fd, r->id, r->timeout_ms);
  if (!sl) {
    close(fd);
    fail.code = ENOMEM;
    wp_push_result(w, &fail);
    return;
  }
  uint16_t ident = r->raw ? raw_ident(r->id) : 0;
  sl->seq = (uint32_t)ident << 16 | r->seq;
  int one = 1;
  if (fam == AF_INET) setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
  else setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
  uint8_t pkt[8 + PAYLOAD_LEN];
  memset(pkt, 0, sizeof pkt);
  pkt[0] = fam == AF_INET ? ECHO_REQUEST_V4 : ECHO_REQUEST_V6;
  pkt[4] = (uint8_t)(ident >> 8);
  pkt[5] = (uint8_t)ident;
  pkt[6] = (uint8_t)(r->seq >> 8);
  pkt[7] = (uint8_t)r->seq;
  memcpy(pkt + 8, "portscope-ping\0\0", PAYLOAD_LEN);
  if (r->raw && fam == AF_INET) {
    uint16_t c = checksum(pkt, sizeof pkt);
    pkt[2] = (uint8_t)(c >> 8);
    pkt[3] = (uint8_t)c;
  }
  if (connect(fd, (const struct sockaddr *)&r->sa, r->len) != 0 || send(fd, pkt, sizeof pkt, 0) < 0) {
    finish(w, fd, errno, -1);
    return;
  }
  int err = wp_watch(w, fd, EPOLLIN);
  if (err != 0) finish(w, fd, err, -1);
}

static void call_js(napi_env env, napi_value cb, wp_batch *b) {
  if (env == NULL || cb == NULL) return;
  const res_t *r = b->v;
  size_t n = b->n;
  void *p[4];
  napi_value ab[4], arr[4], undef;
  napi_typedarray_type types[4] = {napi_uint32_array, napi_int32_array, napi_uint32_array, napi_int32_array};
  for (int k = 0; k < 4; k++) {
    napi_create_arraybuffer(env, n * 4, &p[k], &ab[k]);
    napi_create_typedarray(env, types[k], n, ab[k], 0, &arr[k]);
  }
  for (size_t i = 0; i < n; i++) {
    ((uint32_t *)p[0])[i] = r[i].id;
    ((int32_t *)p[1])[i] = r[i].code;
    ((uint32_t *)p[2])[i] = r[i].rtt;
    ((int32_t *)p[3])[i] = r[i].icmp;
  }
  napi_get_undefined(env, &undef);
  napi_call_function(env, undef, cb, 4, arr, NULL);
}

/* argv[3] (the common "ports" array) holds the echo sequence numbers; argv[4]: timeoutMs; argv[5]: raw. */
static napi_value submit(napi_env env, struct wp_submit *a) {
  uint32_t timeout = 0;
  bool raw = false;
  napi_get_value_uint32(env, a->argv[4], &timeout);
  napi_get_value_bool(env, a->argv[5], &raw);
  wp_worker *w = a->pool->w[0];
  req_t *q = wp_queue_reserve(w, a->n);
  if (!q) WP_THROW("out of memory");
  for (size_t i = 0; i < a->n; i++, q++) {
    q->id = a->ids[i];
    q->timeout_ms = timeout;
    q->seq = a->ports[i];
    q->raw = raw;
    q->len = a->salen;
    q->sa = a->sa;
  }
  wp_queue_commit(w);
  return NULL;
}

static const wp_ops OPS = {
    .name = "portscope.icmp",
    .closed_msg = "ICMP pinger is closed",
    .submit_usage = "submit(handle, address, ids, seqs, timeoutMs, raw)",
    .submit_argc = 6,
    .submit = submit,
    .req_size = sizeof(req_t),
    .res_size = sizeof(res_t),
    .start_batch = 0,
    .start = start_probe,
    .ready = on_ready,
    .timeout = on_timeout,
    .call_js = call_js,
};

/* capability(family): try a ping socket, then a raw one; the kind that opened, or the ping socket's errno. */
static napi_value capability(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  uint32_t family = 4;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1) napi_get_value_uint32(env, argv[0], &family);
  int fam = family == 6 ? AF_INET6 : AF_INET, proto = family == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  int fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, proto);
  if (fd >= 0) {
    close(fd);
    napi_create_string_utf8(env, "dgram", NAPI_AUTO_LENGTH, &out);
    return out;
  }
  int ping_errno = errno;
  fd = socket(fam, SOCK_RAW | SOCK_CLOEXEC, proto);
  if (fd >= 0) {
    close(fd);
    napi_create_string_utf8(env, "raw", NAPI_AUTO_LENGTH, &out);
    return out;
  }
  napi_create_int32(env, ping_errno, &out);
  return out;
}

/* Called by addon.c: the `icmp` object of the one addon. */
napi_value ps_icmp_init(napi_env env, napi_value exports) {
  wp_define(env, exports, &OPS);
  napi_property_descriptor cap = {"capability", NULL, capability, NULL, NULL, NULL, napi_default, NULL};
  napi_define_properties(env, exports, 1, &cap);
  return exports;
}
