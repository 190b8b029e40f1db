{
  "targets": [
    {
      "target_name": "portscope_connect",
      "sources": ["native/connect_scanner.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/connect_scanner.c"]}]]
    },
    {
      "target_name": "portscope_udp",
      "sources": ["native/udp_prober.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/udp_prober.c"]}]]
    }
  ]
}
