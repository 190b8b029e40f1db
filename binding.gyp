{
  "targets": [
    {
      "target_name": "portscope_connect",
      "sources": ["native/connect_scanner.c", "native/worker_pool.c", "native/pool_exports.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/connect_scanner.c", "native/worker_pool.c", "native/pool_exports.c"]}]]
    },
    {
      "target_name": "portscope_udp",
      "sources": ["native/udp_prober.c", "native/worker_pool.c", "native/pool_exports.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/udp_prober.c", "native/worker_pool.c", "native/pool_exports.c"]}]]
    }
  ]
}
