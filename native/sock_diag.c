/*
 * portscope native sock_diag reader (Linux): the listening TCP sockets and unconnected UDP sockets of the
 * caller's network namespace, read over NETLINK_SOCK_DIAG with inet_diag (as `ss -ltn` / `ss -lun` do;
 * linux/inet_diag.h, sock_diag(7)) instead of parsing /proc/net/{tcp,tcp6,udp,udp6}; and the walk over
 * /proc/PID/fd that maps socket inodes to the processes holding them (as `ss -p` does).
 *
 * API (JS thread, synchronous: both are a few ms of system calls, less than a thread hop per socket):
 *   listening() -> { rows: Uint32Array, addresses: string[] }
 *     rows holds ROW_FIELDS numbers per socket: family (4|6), protocol (6 tcp | 17 udp), port, state (the
 *     kernel's TCP state: 10 LISTEN, 7 CLOSE = "UNCONN"), uid, inode, v6only (0, 1; 2 when the kernel sent
 *     no INET_DIAG_SKV6ONLY, i.e. IPv4), index into addresses. Few distinct addresses serve many sockets,
 *     so each is turned into a string once; flat arrays instead of one object per socket keep 20,000
 *     sockets at a few ms (an object with seven properties per socket cost more than the dump itself).
 *   socketOwners(wanted: Float64Array sorted ascending) -> { pairs: Float64Array [inode, pid, ...], denied }
 *     every `socket:[INODE]` fd link (proc(5)) whose inode is in `wanted`; `denied` counts processes whose
 *     fd directory could not be opened (EACCES: another user's process without root). One open of
 *     /proc/PID/fd per process, then readlinkat relative to it: no path walk from / per fd, no stat;
 *     with PORTSCOPE_WALK_THREADS=N the processes are shared out between N threads (at most 4).
 *   readProcFiles(pids, names): the first 64 KiB of /proc/PID/NAME for each (see below).
 * All throw E_NATIVE with the errno text when the kernel refuses (e.g. sock_diag not available).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ST_CLOSE 7
#define ST_LISTEN 10
#define ROW_FIELDS 8
#define V6ONLY_UNKNOWN 2

/* A growable array of numbers (uint32 rows or double pairs). */
typedef struct {
  void *data;
  size_t len, cap, size;
} vec;

static int vec_reserve(vec *v, size_t more) {
  if (v->len + more <= v->cap) return 0;
  size_t cap = v->cap ? v->cap * 2 : 4096;
  while (cap < v->len + more) cap *= 2;
  void *d = realloc(v->data, cap * v->size);
  if (!d) return ENOMEM;
  v->data = d;
  v->cap = cap;
  return 0;
}

/* Distinct local addresses, each with its text (linear search: a host has a handful; capped scan). */
typedef struct {
  uint8_t fam[256];
  uint8_t addr[256][16];
  char text[256][INET6_ADDRSTRLEN];
  uint32_t n;
} addr_table;

static uint32_t addr_index(addr_table *t, int family, const void *a) {
  size_t len = family == AF_INET6 ? 16 : 4;
  for (uint32_t i = 0; i < t->n; i++)
    if (t->fam[i] == family && memcmp(t->addr[i], a, len) == 0) return i;
  if (t->n == 256) return UINT32_MAX; /* more distinct addresses than the table holds: caller converts */
  uint32_t i = t->n++;
  t->fam[i] = (uint8_t)family;
  memset(t->addr[i], 0, 16);
  memcpy(t->addr[i], a, len);
  inet_ntop(family, a, t->text[i], sizeof t->text[i]);
  return i;
}

typedef struct {
  vec rows;
  addr_table *addrs;
  /* Addresses beyond the table: their text, one string per row (rare; index 256 + k). */
  char (*extra)[INET6_ADDRSTRLEN];
  size_t extra_len, extra_cap;
} dump_out;

static int add_row(dump_out *o, const struct inet_diag_msg *m, size_t attr_len, int protocol) {
  uint32_t v6only = V6ONLY_UNKNOWN;
  /* INET_DIAG_SKV6ONLY: a u8 the kernel adds for every AF_INET6 socket (net/ipv4/inet_diag.c,
   * inet_diag_msg_attrs_fill); /proc/net/tcp6 has no such column. */
  const struct rtattr *a = (const struct rtattr *)(m + 1);
  int rem = (int)attr_len;
  for (; RTA_OK(a, rem); a = RTA_NEXT(a, rem))
    if (a->rta_type == INET_DIAG_SKV6ONLY && RTA_PAYLOAD(a) >= 1) v6only = *(const uint8_t *)RTA_DATA(a);
  uint32_t idx = addr_index(o->addrs, m->idiag_family, m->id.idiag_src);
  if (idx == UINT32_MAX) {
    if (o->extra_len == o->extra_cap) {
      size_t cap = o->extra_cap ? o->extra_cap * 2 : 256;
      void *d = realloc(o->extra, cap * sizeof *o->extra);
      if (!d) return ENOMEM;
      o->extra = d;
      o->extra_cap = cap;
    }
    inet_ntop(m->idiag_family, m->id.idiag_src, o->extra[o->extra_len], INET6_ADDRSTRLEN);
    idx = 256 + (uint32_t)o->extra_len++;
  }
  if (vec_reserve(&o->rows, ROW_FIELDS)) return ENOMEM;
  uint32_t *r = (uint32_t *)o->rows.data + o->rows.len;
  r[0] = m->idiag_family == AF_INET6 ? 6 : 4;
  r[1] = (uint32_t)protocol;
  r[2] = ntohs(m->id.idiag_sport);
  r[3] = m->idiag_state;
  r[4] = m->idiag_uid;
  r[5] = m->idiag_inode;
  r[6] = v6only;
  r[7] = idx;
  o->rows.len += ROW_FIELDS;
  return 0;
}

/* One dump of (family, protocol) sockets in `states`; 0 or an errno. */
static int dump(dump_out *o, int family, int protocol, uint32_t states) {
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
  int result = 0;
  for (;;) {
    ssize_t len = recv(fd, buf, sizeof buf, 0);
    if (len < 0) {
      if (errno == EINTR) continue;
      result = errno;
      break;
    }
    if (len == 0) break;
    int done = 0;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type == NLMSG_DONE) {
        done = 1;
        break;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *err = NLMSG_DATA(h);
        result = err->error ? -err->error : EIO;
        done = 1;
        break;
      }
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) continue;
      result = add_row(o, NLMSG_DATA(h), h->nlmsg_len - NLMSG_LENGTH(sizeof(struct inet_diag_msg)), protocol);
      if (result) {
        done = 1;
        break;
      }
    }
    if (done) break;
  }
  close(fd);
  return result;
}

static napi_value typed_copy(napi_env env, napi_typedarray_type type, const void *data, size_t count, size_t size) {
  napi_value ab, ta;
  void *dst = NULL;
  napi_create_arraybuffer(env, count * size, &dst, &ab);
  if (count) memcpy(dst, data, count * size);
  napi_create_typedarray(env, type, count, ab, 0, &ta);
  return ta;
}

static napi_value js_listening(napi_env env, napi_callback_info info) {
  (void)info;
  addr_table *addrs = calloc(1, sizeof *addrs);
  dump_out o = {.rows = {.size = sizeof(uint32_t)}, .addrs = addrs};
  int e = addrs ? 0 : ENOMEM;
  const int fams[2] = {AF_INET, AF_INET6};
  for (int f = 0; f < 2 && !e; f++) {
    e = dump(&o, fams[f], IPPROTO_TCP, 1u << ST_LISTEN);
    if (!e) e = dump(&o, fams[f], IPPROTO_UDP, 1u << ST_CLOSE);
  }
  napi_value result = NULL;
  if (e) {
    napi_throw_error(env, "E_NATIVE", strerror(e));
  } else {
    napi_value texts, s;
    napi_create_array_with_length(env, addrs->n + o.extra_len, &texts);
    for (uint32_t i = 0; i < addrs->n; i++) {
      napi_create_string_latin1(env, addrs->text[i], NAPI_AUTO_LENGTH, &s);
      napi_set_element(env, texts, i, s);
    }
    for (size_t k = 0; k < o.extra_len; k++) {
      napi_create_string_latin1(env, o.extra[k], NAPI_AUTO_LENGTH, &s);
      napi_set_element(env, texts, 256 + (uint32_t)k, s);
    }
    napi_create_object(env, &result);
    napi_set_named_property(env, result, "rows", typed_copy(env, napi_uint32_array, o.rows.data, o.rows.len, sizeof(uint32_t)));
    napi_set_named_property(env, result, "addresses", texts);
  }
  free(o.rows.data);
  free(o.extra);
  free(addrs);
  return result;
}

static int find_inode(const double *wanted, size_t n, double inode) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (wanted[mid] < inode) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && wanted[lo] == inode;
}

/* One share of the fd walk: the pids at index `first`, `first + step`, ... of `pids`. */
typedef struct {
  const uint32_t *pids;
  size_t npids, first, step;
  const double *wanted;
  size_t nwanted;
  vec pairs;
  uint32_t denied;
  int error;
} walk_share;

static void *walk_part(void *arg) {
  walk_share *w = arg;
  char path[40], link[64];
  for (size_t i = w->first; i < w->npids && !w->error; i += w->step) {
    snprintf(path, sizeof path, "/proc/%u/fd", w->pids[i]);
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
      if (errno == EACCES) w->denied++;
      continue; /* exited meanwhile (ENOENT), or not ours to read (EACCES) */
    }
    DIR *fds = fdopendir(dfd);
    if (!fds) {
      close(dfd);
      continue;
    }
    struct dirent *fe;
    while ((fe = readdir(fds)) != NULL) {
      if (fe->d_name[0] == '.') continue;
      ssize_t n = readlinkat(dfd, fe->d_name, link, sizeof link - 1);
      /* "socket:[12345]" (proc(5)); anything else (files, pipes, anon inodes) is not ours */
      if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']') continue;
      double inode = 0;
      for (ssize_t k = 8; k < n - 1; k++) inode = inode * 10 + (link[k] - '0');
      /* no wanted set (the early walk, started before the dump): every socket, the caller filters */
      if (w->wanted != NULL && !find_inode(w->wanted, w->nwanted, inode)) continue;
      if ((w->error = vec_reserve(&w->pairs, 2)) != 0) break;
      double *p = (double *)w->pairs.data + w->pairs.len;
      p[0] = inode;
      p[1] = w->pids[i];
      w->pairs.len += 2;
    }
    closedir(fds);
  }
  return NULL;
}

/* At most this many threads walk /proc/PID/fd (the calling thread is one of them). */
#define WALK_THREADS_MAX 4

static napi_value js_socket_owners(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_typedarray_type type;
  size_t nwanted = 0;
  void *wdata = NULL;
  bool is_ta = false;
  if (argc < 1 || napi_is_typedarray(env, argv[0], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, argv[0], &type, &nwanted, &wdata, NULL, NULL) != napi_ok || type != napi_float64_array) {
    napi_throw_type_error(env, "E_NATIVE", "socketOwners(wanted: Float64Array)");
    return NULL;
  }
  /* The pids first (one readdir of /proc), then the walk, optionally split between threads: each
   * readlink is a few microseconds of kernel time in another process's fd table. */
  DIR *proc = opendir("/proc");
  if (!proc) {
    napi_throw_error(env, "E_NATIVE", strerror(errno));
    return NULL;
  }
  vec pids = {.size = sizeof(uint32_t)};
  int e = 0;
  struct dirent *de;
  while (!e && (de = readdir(proc)) != NULL) {
    if (de->d_name[0] < '0' || de->d_name[0] > '9') continue; /* only numeric entries are processes */
    if ((e = vec_reserve(&pids, 1)) != 0) break;
    ((uint32_t *)pids.data)[pids.len++] = (uint32_t)strtoul(de->d_name, NULL, 10);
  }
  closedir(proc);
  /* One thread by default, as ss: on the shared 2-core machine this was written on, two threads gave no
   * gain (bench/RESULTS.md, issue 15), and every open/close in either thread takes our own file table's
   * lock. PORTSCOPE_WALK_THREADS=N (1-4) splits the walk for measuring on a machine with idle cores. */
  size_t nthreads = 1;
  const char *forced = getenv("PORTSCOPE_WALK_THREADS");
  if (forced && *forced >= '1' && *forced <= '9') nthreads = (size_t)(*forced - '0');
  if (nthreads > WALK_THREADS_MAX) nthreads = WALK_THREADS_MAX;
  if (nthreads > 1 && pids.len < 64) nthreads = 1; /* a thread costs more than a few processes' walk */
  walk_share shares[WALK_THREADS_MAX];
  pthread_t threads[WALK_THREADS_MAX];
  bool started[WALK_THREADS_MAX] = {false};
  for (size_t t = 0; t < nthreads; t++)
    shares[t] = (walk_share){.pids = pids.data, .npids = pids.len, .first = t, .step = nthreads, .wanted = wdata, .nwanted = nwanted, .pairs = {.size = sizeof(double)}};
  if (!e) {
    for (size_t t = 1; t < nthreads; t++) started[t] = pthread_create(&threads[t], NULL, walk_part, &shares[t]) == 0;
    /* A share whose thread could not start is walked here after our own. */
    walk_part(&shares[0]);
    for (size_t t = 1; t < nthreads; t++) {
      if (started[t]) pthread_join(threads[t], NULL);
      else walk_part(&shares[t]);
    }
  }
  vec pairs = {.size = sizeof(double)};
  uint32_t denied = 0;
  for (size_t t = 0; t < nthreads; t++) {
    if (!e) e = shares[t].error;
    denied += shares[t].denied;
    if (!e && shares[t].pairs.len) {
      if ((e = vec_reserve(&pairs, shares[t].pairs.len)) == 0) {
        memcpy((double *)pairs.data + pairs.len, shares[t].pairs.data, shares[t].pairs.len * sizeof(double));
        pairs.len += shares[t].pairs.len;
      }
    }
    free(shares[t].pairs.data);
  }
  free(pids.data);
  napi_value result = NULL;
  if (e) {
    napi_throw_error(env, "E_NATIVE", strerror(e));
  } else {
    napi_value d;
    napi_create_object(env, &result);
    napi_set_named_property(env, result, "pairs", typed_copy(env, napi_float64_array, pairs.data, pairs.len, sizeof(double)));
    napi_create_uint32(env, denied, &d);
    napi_set_named_property(env, result, "denied", d);
  }
  free(pairs.data);
  return result;
}

/*
 * socketOwnersAsync() -> Promise<{ pairs: Float64Array, denied: number }>: the same walk (one thread) with no
 * wanted set, every socket inode a process holds, run on a libuv worker thread. `listening` starts it
 * before it loads the rest of its modules and dumps the sockets, so that the walk (kernel-bound, ~100 ms
 * for 20,000 fds) overlaps them; ss -p, too, walks /proc before its dump. No N-API call off the main thread.
 */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  walk_share share;
  vec pids;
  int error;
} owners_job;

static void owners_execute(napi_env env, void *data) {
  (void)env;
  owners_job *j = data;
  DIR *proc = opendir("/proc");
  if (!proc) {
    j->error = errno;
    return;
  }
  struct dirent *de;
  while (!j->error && (de = readdir(proc)) != NULL) {
    if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
    if ((j->error = vec_reserve(&j->pids, 1)) != 0) break;
    ((uint32_t *)j->pids.data)[j->pids.len++] = (uint32_t)strtoul(de->d_name, NULL, 10);
  }
  closedir(proc);
  if (j->error) return;
  j->share = (walk_share){.pids = j->pids.data, .npids = j->pids.len, .first = 0, .step = 1, .wanted = NULL, .nwanted = 0, .pairs = {.size = sizeof(double)}};
  walk_part(&j->share);
  j->error = j->share.error;
}

static void owners_complete(napi_env env, napi_status status, void *data) {
  owners_job *j = data;
  napi_value result = NULL, err = NULL, msg = NULL, code = NULL;
  if (status != napi_ok || j->error) {
    napi_create_string_utf8(env, "E_NATIVE", NAPI_AUTO_LENGTH, &code);
    napi_create_string_utf8(env, status != napi_ok ? "the fd walk was cancelled" : strerror(j->error), NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, code, msg, &err);
    napi_reject_deferred(env, j->deferred, err);
  } else {
    napi_value d;
    napi_create_object(env, &result);
    napi_set_named_property(env, result, "pairs", typed_copy(env, napi_float64_array, j->share.pairs.data, j->share.pairs.len, sizeof(double)));
    napi_create_uint32(env, j->share.denied, &d);
    napi_set_named_property(env, result, "denied", d);
    napi_resolve_deferred(env, j->deferred, result);
  }
  napi_delete_async_work(env, j->work);
  free(j->share.pairs.data);
  free(j->pids.data);
  free(j);
}

static napi_value js_socket_owners_async(napi_env env, napi_callback_info info) {
  (void)info;
  owners_job *j = calloc(1, sizeof *j);
  if (!j) {
    napi_throw_error(env, "E_NATIVE", strerror(ENOMEM));
    return NULL;
  }
  j->pids.size = sizeof(uint32_t);
  j->share.pairs.size = sizeof(double);
  napi_value promise, name;
  napi_create_string_utf8(env, "portscope:fd-walk", NAPI_AUTO_LENGTH, &name);
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
      napi_create_async_work(env, NULL, name, owners_execute, owners_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    free(j);
    napi_throw_error(env, "E_NATIVE", "could not start the fd walk");
    return NULL;
  }
  return promise;
}

/*
 * readProcFiles(pids: Float64Array, names: string[], limits: number[]) -> { data: Buffer, lengths: Int32Array }
 * The first limits[j] bytes (at most 64 KiB) of /proc/PID/NAME for every pid and name, concatenated; lengths[i * names + j] is the
 * size read (-1 when the file could not be opened: exited, or not ours). One open of /proc/PID per process
 * and openat below it, instead of a path walk from / for every file.
 */
#define PROC_FILE_MAX 65536
static napi_value js_read_proc_files(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_typedarray_type type;
  size_t npids = 0;
  void *pdata = NULL;
  bool is_ta = false, is_arr = false;
  uint32_t nnames = 0;
  if (argc < 2 || napi_is_typedarray(env, argv[0], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, argv[0], &type, &npids, &pdata, NULL, NULL) != napi_ok || type != napi_float64_array ||
      napi_is_array(env, argv[1], &is_arr) != napi_ok || !is_arr || napi_get_array_length(env, argv[1], &nnames) != napi_ok || nnames > 8) {
    napi_throw_type_error(env, "E_NATIVE", "readProcFiles(pids: Float64Array, names: string[], limits: number[])");
    return NULL;
  }
  char names[8][32];
  size_t limits[8];
  for (uint32_t j = 0; j < nnames; j++) {
    napi_value v;
    size_t len = 0;
    uint32_t limit = PROC_FILE_MAX;
    if (argc >= 3 && napi_get_element(env, argv[2], j, &v) == napi_ok) napi_get_value_uint32(env, v, &limit);
    limits[j] = limit == 0 || limit > PROC_FILE_MAX ? PROC_FILE_MAX : limit;
    napi_get_element(env, argv[1], j, &v);
    if (napi_get_value_string_latin1(env, v, names[j], sizeof names[j], &len) != napi_ok || len == 0 || strchr(names[j], '/')) {
      napi_throw_type_error(env, "E_NATIVE", "readProcFiles: a name is one /proc/PID entry, e.g. status");
      return NULL;
    }
  }
  const double *pids = pdata;
  int32_t *lengths = malloc((npids * nnames + 1) * sizeof *lengths);
  vec data = {.size = 1};
  int e = lengths ? 0 : ENOMEM;
  int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (procfd < 0 && !e) e = errno;
  for (size_t i = 0; i < npids && !e; i++) {
    char pidname[24];
    snprintf(pidname, sizeof pidname, "%.0f", pids[i]);
    int pidfd = openat(procfd, pidname, O_PATH | O_DIRECTORY | O_CLOEXEC);
    for (uint32_t j = 0; j < nnames && !e; j++) {
      int32_t *len = &lengths[i * nnames + j];
      *len = -1;
      int fd = pidfd < 0 ? -1 : openat(pidfd, names[j], O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      size_t max = limits[j];
      if ((e = vec_reserve(&data, max)) != 0) {
        close(fd);
        break;
      }
      size_t got = 0;
      for (;;) {
        ssize_t n = read(fd, (char *)data.data + data.len + got, max - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
        if (got == max) break;
      }
      close(fd);
      data.len += got;
      *len = (int32_t)got;
    }
    if (pidfd >= 0) close(pidfd);
  }
  if (procfd >= 0) close(procfd);
  napi_value result = NULL;
  if (e) {
    napi_throw_error(env, "E_NATIVE", strerror(e));
  } else {
    napi_value buf;
    void *dst = NULL;
    napi_create_buffer_copy(env, data.len, data.len ? data.data : "", &dst, &buf);
    napi_create_object(env, &result);
    napi_set_named_property(env, result, "data", buf);
    napi_set_named_property(env, result, "lengths", typed_copy(env, napi_int32_array, lengths, npids * nnames, sizeof(int32_t)));
  }
  free(lengths);
  free(data.data);
  return result;
}

/* Called by addon.c: the `diag` object of the one addon. */
napi_value ps_diag_init(napi_env env, napi_value exports) {
  napi_property_descriptor p[] = {
      {"listening", NULL, js_listening, NULL, NULL, NULL, napi_default, NULL},
      {"socketOwners", NULL, js_socket_owners, NULL, NULL, NULL, napi_default, NULL},
      {"readProcFiles", NULL, js_read_proc_files, NULL, NULL, NULL, napi_default, NULL},
      {"socketOwnersAsync", NULL, js_socket_owners_async, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 4, p);
  return exports;
}
