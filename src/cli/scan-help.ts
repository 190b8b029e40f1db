export const SCAN_HELP = `Usage: portscope scan [options] TARGET...

TCP connect and UDP scans of hosts and networks, with nmap's flags where nmap has them.

TARGETS
  TARGET                  192.0.2.7, 2001:db8::7, 192.0.2.0/24, 2001:db8::/120, 10.0.0.1-20, 10.0.1-3.1,
                          10.0.0.*, host.example, host.example/28 (name, then CIDR)
  -iL FILE                read targets from FILE (whitespace separated, # comments; - = stdin)
  --exclude LIST          comma-separated targets to skip (same syntax)
  --excludefile FILE      targets to skip, from a file
  -n                      no reverse DNS for hosts found up          -R  always resolve (default)
  --resolve-all           scan every address a name resolves to (default: the first)
  -6                      accepted for nmap compatibility (IPv6 works without it)

HOST DISCOVERY
  -Pn                     treat every host as up (skip the connect ping to ports 80 and 443)

PORTS
  -p SPEC                 22,80,8000-8100 · -p- (1-65535) · -100 · 60000- · T:22,U:53 · service names (http,ssh,'http*')
  --top-ports N           the N most common TCP ports (portscope's own ranking, docs/top-ports.md)
  -F                      fast: the 100 most common ports (default: 1000)
  --exclude-ports SPEC    ports to leave out
  -r                      probe ports in order (default: random order)

SCAN TYPE
  -sT                     TCP connect scan (the default; needs no privileges)
  -sS                     accepted; runs a connect scan (portscope sends no raw packets yet)
  -sU                     UDP scan (with -sT or as -sTU: both; T:/U: in -p pick ports per protocol; docs/udp.md)
  --proxy URL             connect through a SOCKS5 proxy: socks5://[user:pass@]HOST:PORT (states: docs/proxy.md)

SERVICE/VERSION DETECTION  (docs/service-detection.md)
  -sV                     identify the service, product and version on open TCP ports; TLS on any port
  --version-intensity N   0 (light) to 9 (try every probe); default 7; implies -sV
  --version-light         --version-intensity 2
  --version-all           --version-intensity 9

TIMING AND PERFORMANCE  (TIME is a number with ms, s, m or h; seconds by default)
  -T0..-T5                paranoid, sneaky, polite, normal (default), aggressive, insane
  --min-rate N            send at least N probes per second
  --max-rate N            send at most N probes per second
  --max-retries N         cap on retries of an unanswered port (default: 10; -T4 6; -T5 2). portscope retries
                          only as much as the measured packet loss calls for, up to this cap
  --host-timeout TIME     give up on a host after TIME
  --min-rtt-timeout TIME, --max-rtt-timeout TIME, --initial-rtt-timeout TIME
                          bounds and start value of the adaptive per-probe timeout
  --min-parallelism N, --max-parallelism N
                          probes in flight, at least / at most
  --max-hostgroup N       hosts scanned at once
  --scan-delay TIME       wait TIME between probes

OUTPUT
  -oN FILE                normal output        -oX FILE   nmap-compatible XML (ndiff, python-libnmap, nmap.dtd)
  -oG FILE                grepable output      -oJ FILE   JSON (docs/output-formats.md, docs/schema/scan.schema.json)
  -oA BASE                all four: BASE.nmap, BASE.xml, BASE.gnmap, BASE.json
                          FILE "-" writes to stdout instead of the normal output
  --open                  show only open ports
  --reason                show why each port has its state
  -v, -vv                 more detail (open ports as they are found, down hosts, wildcard hosts' ports)
  -q, --quiet             no progress line and no warnings on stderr
  --no-color              plain text even on a terminal
  -d                      debug: say which connect backend runs and how each host's time was spent

HISTORY  (docs/history.md)
  --save                  store the scan in the history database (after the outputs are written)
  --db PATH               history database: SQLite file or postgres:// URL (default: ~/.local/share/portscope/history.db)

OTHER
  -S ADDR[,ADDR...]       UDP probes leave from these local addresses in turn: each is its own ICMP rate-limit
                          bucket at the target, so closed ports confirm k times faster (docs/udp.md); TCP: kernel's
  --backend auto|native|node   probe backends (native: epoll-based addons for TCP connects and UDP with exact ICMP
                          codes, Linux; node: net.Socket and node:dgram)
  --dry-run               send nothing; run the whole plan and report every port closed (reason dry-run)
  -h, --help              this help

Exit status: 0 scan finished, 1 scan failed (e.g. no connection could be opened), 2 bad input, or --save
failed (outputs are written first), 130/143 interrupted by SIGINT/SIGTERM (outputs are complete and valid
with the results so far).

Examples:
  portscope scan 127.0.0.1
  portscope scan -p- -T4 -n -Pn --open 192.0.2.0/28 -oA lab
  portscope scan -p 22,80,443 --reason -oX - scanme.example
`;
