/*
 * portscope native worker pool, JS side: the open / submit / close exports both addons define through
 * wp_define, and the argument checks their submit calls share (see worker_pool.h).
 */
#define _GNU_SOURCE
#include "worker_pool.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static void free_pool(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  wp_pool *p = data;
  for (int i = 0; i < p->n; i++) wp_worker_free(p->w[i]);
  free(p);
}

const char *wp_parse_address(napi_env env, napi_value v, struct sockaddr_storage *sa, socklen_t *salen) {
  char addr[64];
  size_t alen = 0;
  if (napi_get_value_string_utf8(env, v, addr, sizeof addr, &alen) != napi_ok) return "address must be a string";
  memset(sa, 0, sizeof *sa);
  struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
  struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
  if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
    s4->sin_family = AF_INET;
    *salen = sizeof *s4;
  } else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
    s6->sin6_family = AF_INET6;
    *salen = sizeof *s6;
  } else {
    return "not an IP address";
  }
  return NULL;
}

static const char *ids_ports(napi_env env, napi_value ids, napi_value ports, const uint32_t **id_out,
                             const uint16_t **port_out, size_t *n) {
  napi_typedarray_type t1, t2;
  size_t n1, n2, off;
  void *d1, *d2;
  napi_value ab;
  if (napi_get_typedarray_info(env, ids, &t1, &n1, &d1, &ab, &off) != napi_ok || t1 != napi_uint32_array)
    return "ids must be a Uint32Array";
  if (napi_get_typedarray_info(env, ports, &t2, &n2, &d2, &ab, &off) != napi_ok || t2 != napi_uint16_array)
    return "ports must be a Uint16Array";
  if (n1 != n2) return "ids and ports differ in length";
  *id_out = d1;
  *port_out = d2;
  *n = n1;
  return NULL;
}

void wp_set_port(struct sockaddr_storage *sa, uint16_t port) {
  if (sa->ss_family == AF_INET)
    ((struct sockaddr_in *)sa)->sin_port = htons(port);
  else
    ((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

/* The addon's wp_ops ride along as the callback data of each export. */
static const wp_ops *ops_of(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  void *data = NULL;
  napi_get_cb_info(env, info, argc, argv, NULL, &data);
  return data;
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  const wp_ops *ops = ops_of(env, info, &argc, argv);
  if (argc < 1) WP_THROW("open(callback) needs a callback");
  wp_pool *p = calloc(1, sizeof(wp_pool));
  if (!p) WP_THROW("out of memory");
  int want = ops->workers ? ops->workers() : 1;
  if (want < 1) want = 1;
  if (want > WP_MAX_WORKERS) want = WP_MAX_WORKERS;
  const char *why = NULL;
  for (int i = 0; i < want; i++) {
    wp_worker *w = wp_worker_open(env, argv[0], ops, &why);
    if (!w) break;
    p->w[p->n++] = w;
  }
  if (p->n == 0) {
    free(p);
    WP_THROW(why ? why : "cannot start worker thread");
  }
  napi_value ext;
  napi_create_external(env, p, free_pool, NULL, &ext);
  return ext;
}

static napi_value js_submit(napi_env env, napi_callback_info info) {
  struct wp_submit a;
  size_t argc = sizeof a.argv / sizeof a.argv[0];
  const wp_ops *ops = ops_of(env, info, &argc, a.argv);
  if (argc < ops->submit_argc) WP_THROW(ops->submit_usage);
  void *p = NULL;
  if (napi_get_value_external(env, a.argv[0], &p) != napi_ok || !p || ((wp_pool *)p)->w[0]->closed)
    WP_THROW(ops->closed_msg);
  a.pool = p;
  const char *bad = wp_parse_address(env, a.argv[1], &a.sa, &a.salen);
  if (!bad) bad = ids_ports(env, a.argv[2], a.argv[3], &a.ids, &a.ports, &a.n);
  if (bad) WP_THROW(bad);
  return ops->submit(env, &a);
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *p = NULL;
  ops_of(env, info, &argc, argv);
  if (argc && napi_get_value_external(env, argv[0], &p) == napi_ok && p) {
    wp_pool *pool = p;
    for (int i = 0; i < pool->n; i++) wp_worker_stop(pool->w[i]);
  }
  return NULL;
}

napi_value wp_define(napi_env env, napi_value exports, const wp_ops *ops) {
  void *data = (void *)ops;
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, data},
      {"submit", NULL, js_submit, NULL, NULL, NULL, napi_default, data},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, data},
  };
  napi_define_properties(env, exports, 3, props);
  return exports;
}
