{
  "targets": [
    {
      "target_name": "portscope",
      "sources": ["native/addon.c", "native/connect_scanner.c", "native/udp_prober.c", "native/icmp_pinger.c", "native/sock_diag.c", "native/worker_pool.c", "native/pool_exports.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/addon.c", "native/connect_scanner.c", "native/udp_prober.c", "native/icmp_pinger.c", "native/sock_diag.c", "native/worker_pool.c", "native/pool_exports.c"]}]]
    }
  ]
}
