/*
 * portscope's one native addon (Linux): { connect, udp }, each with open / submit / close.
 *   connect: the TCP connect scanner (connect_scanner.c)
 *   udp:     the UDP prober with IP_RECVERR (udp_prober.c)
 *   icmp:    the ICMP echo pinger for -PE, ping sockets or raw (icmp_pinger.c)
 *   diag:    listening() — listening TCP / unconnected UDP sockets over sock_diag netlink (sock_diag.c)
 * Both run on the worker pool of worker_pool.c. One N-API binary (NAPI_VERSION 8) serves every Node
 * version from 20 on, so the package ships one prebuilt file per platform (prebuildify) and compiles from
 * these sources only when none fits (scripts/build-native.mjs; docs/engine.md, "Backends").
 */
#include <node_api.h>

napi_value ps_connect_init(napi_env env, napi_value exports);
napi_value ps_udp_init(napi_env env, napi_value exports);
napi_value ps_diag_init(napi_env env, napi_value exports);
napi_value ps_icmp_init(napi_env env, napi_value exports);

static napi_value init(napi_env env, napi_value exports) {
  napi_value connect, udp, diag, icmp;
  if (napi_create_object(env, &connect) != napi_ok || napi_create_object(env, &udp) != napi_ok ||
      napi_create_object(env, &diag) != napi_ok || napi_create_object(env, &icmp) != napi_ok)
    return NULL;
  ps_connect_init(env, connect);
  ps_udp_init(env, udp);
  ps_diag_init(env, diag);
  ps_icmp_init(env, icmp);
  napi_set_named_property(env, exports, "connect", connect);
  napi_set_named_property(env, exports, "udp", udp);
  napi_set_named_property(env, exports, "diag", diag);
  napi_set_named_property(env, exports, "icmp", icmp);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
