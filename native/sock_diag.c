/*
 * portscope native sock_diag reader (Linux): the listening TCP sockets and unconnected UDP sockets of the
 * caller's network namespace, read over NETLINK_SOCK_DIAG with inet_diag (as `ss -ltn` / `ss -lun` do;
 * linux/inet_diag.h, sock_diag(7)) instead of parsing /proc/net/{tcp,tcp6,udp,udp6}.
 *
 * API (JS thread): listening() -> [{ family: 4|6, protocol: 'tcp'|'udp', address, port, state, uid, inode }]
 * state is the kernel's TCP state number (10 LISTEN for TCP, 7 CLOSE = "UNCONN" for UDP). Throws E_NATIVE
 * with the errno text when the netlink dump fails (e.g. sock_diag not available).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <node_api.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ST_CLOSE 7
#define ST_LISTEN 10

static void set_u32(napi_env env, napi_value o, const char *k, uint32_t v) {
  napi_value x;
  napi_create_uint32(env, v, &x);
  napi_set_named_property(env, o, k, x);
}

static void set_str(napi_env env, napi_value o, const char *k, const char *v) {
  napi_value x;
  napi_create_string_utf8(env, v, NAPI_AUTO_LENGTH, &x);
  napi_set_named_property(env, o, k, x);
}

static void push_row(napi_env env, napi_value arr, uint32_t *n, const struct inet_diag_msg *m, int protocol) {
  char addr[INET6_ADDRSTRLEN] = "";
  inet_ntop(m->idiag_family, m->id.idiag_src, addr, sizeof addr);
  napi_value o;
  napi_create_object(env, &o);
  set_u32(env, o, "family", m->idiag_family == AF_INET6 ? 6 : 4);
  set_str(env, o, "protocol", protocol == IPPROTO_TCP ? "tcp" : "udp");
  set_str(env, o, "address", addr);
  set_u32(env, o, "port", ntohs(m->id.idiag_sport));
  set_u32(env, o, "state", m->idiag_state);
  set_u32(env, o, "uid", m->idiag_uid);
  set_u32(env, o, "inode", m->idiag_inode);
  napi_set_element(env, arr, (*n)++, o);
}

/* One dump of (family, protocol) sockets in `states`; 0 or an errno. */
static int dump(napi_env env, napi_value arr, uint32_t *n, int family, int protocol, uint32_t states) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return errno;
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 r;
  } req;
  memset(&req, 0, sizeof req);
  req.nlh.nlmsg_len = sizeof req;
  req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.r.sdiag_family = (uint8_t)family;
  req.r.sdiag_protocol = (uint8_t)protocol;
  req.r.idiag_states = states;
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int e = errno;
    close(fd);
    return e;
  }
  static __thread char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
  for (;;) {
    ssize_t len = recv(fd, buf, sizeof buf, 0);
    if (len < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      return e;
    }
    if (len == 0) break;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type == NLMSG_DONE) {
        close(fd);
        return 0;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *err = NLMSG_DATA(h);
        close(fd);
        return err->error ? -err->error : EIO;
      }
      if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg))) push_row(env, arr, n, NLMSG_DATA(h), protocol);
    }
  }
  close(fd);
  return 0;
}

static napi_value js_listening(napi_env env, napi_callback_info info) {
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t n = 0;
  const int fams[2] = {AF_INET, AF_INET6};
  for (int f = 0; f < 2; f++) {
    int e = dump(env, arr, &n, fams[f], IPPROTO_TCP, 1u << ST_LISTEN);
    if (!e) e = dump(env, arr, &n, fams[f], IPPROTO_UDP, 1u << ST_CLOSE);
    if (e) {
      napi_throw_error(env, "E_NATIVE", strerror(e));
      return NULL;
    }
  }
  return arr;
}

/* Called by addon.c: the `diag` object of the one addon. */
napi_value ps_diag_init(napi_env env, napi_value exports) {
  napi_property_descriptor p = {"listening", NULL, js_listening, NULL, NULL, NULL, napi_default, NULL};
  napi_define_properties(env, exports, 1, &p);
  return exports;
}
