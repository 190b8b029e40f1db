/**
 * -sV over a scan's event stream: every open TCP port starts a service detection as soon as its `port`
 * event arrives (bounded by a scan-wide limit), and each `host` event is held back until its ports are
 * identified, so every output format sees the finished `service`. Events keep their order.
 */
import type { HostReport, PortResult, ScanEvent, ScanSummary, ServiceInfo } from '../model/index.js';
import { DEFAULT_DETECT, detectService, type DetectOptions, type DetectResult } from '../probes/service/detect.js';

export interface ServiceDetectionOptions {
  /** 0..9 (default 7); --version-all = 9. */
  intensity?: number;
  /** Ports identified at once across the scan (default 32). */
  maxParallel?: number;
  greetWaitMs?: number;
  probeWaitMs?: number;
  tlsWaitMs?: number;
  idleMs?: number;
  /** Byte cap per answer (default 16 KiB). */
  maxBytes?: number;
  probeParallelism?: number;
}

/** A counting semaphore: at most `limit` tasks run at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function serviceFromDetection(d: DetectResult, previous: ServiceInfo | undefined): ServiceInfo | undefined {
  if (!d.reachable) return previous;
  const m = d.match;
  if (m) {
    const s: ServiceInfo = { name: m.name, method: 'probed', conf: 10 };
    if (m.product) s.product = m.product;
    if (m.version) s.version = m.version;
    if (m.extrainfo) s.extrainfo = m.extrainfo;
    if (d.tls) s.tunnel = 'ssl';
    if (m.cpe) s.cpe = m.cpe;
    if (m.http) s.http = m.http;
    if (d.tls) s.tls = d.tls;
    return s;
  }
  // TLS with an unknown service inside: nmap's name for it is "ssl".
  const s: ServiceInfo = d.tls ? { name: 'ssl', method: 'probed', conf: 10, tls: d.tls } : { ...(previous ?? { name: 'unknown', method: 'table', conf: 3 }) };
  if (d.banner !== undefined) s.banner = d.banner;
  return s;
}

export async function* withServiceDetection(events: AsyncIterable<ScanEvent>, options: ServiceDetectionOptions, signal?: AbortSignal): AsyncGenerator<ScanEvent> {
  const opts: DetectOptions = {
    intensity: options.intensity ?? DEFAULT_DETECT.intensity,
    greetWaitMs: options.greetWaitMs ?? DEFAULT_DETECT.greetWaitMs,
    probeWaitMs: options.probeWaitMs ?? DEFAULT_DETECT.probeWaitMs,
    tlsWaitMs: options.tlsWaitMs ?? DEFAULT_DETECT.tlsWaitMs,
    idleMs: options.idleMs ?? DEFAULT_DETECT.idleMs,
    maxBytes: options.maxBytes ?? DEFAULT_DETECT.maxBytes,
    probeParallelism: options.probeParallelism ?? DEFAULT_DETECT.probeParallelism,
    ...(signal ? { signal } : {}),
  };
  const limit = limiter(options.maxParallel ?? 32);
  const pending = new Map<string, Promise<DetectResult>>();
  const key = (address: string, port: number): string => `${address}|${port}`;
  const start = (address: string, r: PortResult): void => {
    if (r.protocol !== 'tcp' || r.state !== 'open' || pending.has(key(address, r.port))) return;
    const p = limit(() => detectService(address, r.port, opts));
    p.catch(() => {}); // awaited later; never an unhandled rejection meanwhile
    pending.set(key(address, r.port), p);
  };
  const finishHost = async (host: HostReport): Promise<ScanEvent> => {
    for (const r of host.ports) start(host.address, r);
    for (const r of host.ports) {
      const p = pending.get(key(host.address, r.port));
      if (!p || r.protocol !== 'tcp') continue;
      pending.delete(key(host.address, r.port));
      try {
        const svc = serviceFromDetection(await p, r.service);
        if (svc) r.service = svc;
      } catch {
        // A detection that failed outright leaves the table guess in place.
      }
    }
    host.endTime = Math.max(host.endTime, Date.now());
    return { kind: 'host', host };
  };
  // Read the inner stream eagerly so detections of later hosts start while earlier ones finish; emit in order.
  const queue: Promise<ScanEvent>[] = [];
  let wake: (() => void) | undefined;
  let innerDone = false;
  let innerError: unknown;
  const pump = (async () => {
    try {
      for await (const ev of events) {
        if (ev.kind === 'port') start(ev.address, ev.result);
        queue.push(ev.kind === 'host' ? finishHost(ev.host) : Promise.resolve(ev));
        wake?.();
      }
    } catch (err) {
      innerError = err;
    } finally {
      innerDone = true;
      wake?.();
    }
  })();
  while (true) {
    const next = queue.shift();
    if (next) {
      const ev = await next;
      yield ev.kind === 'end' ? { kind: 'end', summary: stretch(ev.summary) } : ev;
      continue;
    }
    if (innerDone) break;
    await new Promise<void>((r) => (wake = r));
    wake = undefined;
  }
  await pump;
  if (innerError !== undefined) throw innerError;
}

/** The scan ended when detection ended: the summary's end time and elapsed time include it. */
function stretch(s: ScanSummary): ScanSummary {
  const endTime = Math.max(s.endTime, Date.now());
  return { ...s, endTime, elapsedMs: s.elapsedMs + (endTime - s.endTime) };
}
