/**
 * -sV as the engine runs it: the engine identifies every open TCP port before reporting its host (a phase
 * paced and bounded like every other probe, engine/service-phase.ts); this module hands it the probe
 * table's detection and turns a detection into the port's `service`.
 */
import type { ServiceInfo } from '../model/index.js';
import type { StreamDialer } from '../net/index.js';
import type { ServicePlan } from '../engine/service-phase.js';
import type { DetectOptions, DetectResult } from '../probes/service/detect.js';

/**
 * The probe table (probes/service/: some 28 modules, 55 kB) loads with the first identification, not with
 * every scan: a scan without -sV never needs it, and loading it cost each of them ~10 ms of start-up
 * (bench/RESULTS.md, "Issue 12 paired re-measure"). One load per process, shared by every scan in it.
 */
let detectModule: Promise<typeof import('../probes/service/detect.js')> | undefined;
const loadDetect = (): Promise<typeof import('../probes/service/detect.js')> => (detectModule ??= import('../probes/service/detect.js'));

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

/** The engine's -sV phase: identify with the probe table, connecting only through the dialer it is given. */
export function servicePlan(options: ServiceDetectionOptions, dialer: StreamDialer): ServicePlan {
  let base: Omit<DetectOptions, 'dialer' | 'signal'> | undefined;
  return {
    dialer,
    maxParallel: options.maxParallel ?? 32,
    async identify(address, port, previous, pacedDialer, signal) {
      const { DEFAULT_DETECT, detectService } = await loadDetect();
      base ??= {
        intensity: options.intensity ?? DEFAULT_DETECT.intensity,
        greetWaitMs: options.greetWaitMs ?? DEFAULT_DETECT.greetWaitMs,
        probeWaitMs: options.probeWaitMs ?? DEFAULT_DETECT.probeWaitMs,
        tlsWaitMs: options.tlsWaitMs ?? DEFAULT_DETECT.tlsWaitMs,
        idleMs: options.idleMs ?? DEFAULT_DETECT.idleMs,
        maxBytes: options.maxBytes ?? DEFAULT_DETECT.maxBytes,
        probeParallelism: options.probeParallelism ?? DEFAULT_DETECT.probeParallelism,
      };
      return serviceFromDetection(await detectService(address, port, { ...base, dialer: pacedDialer, signal }), previous);
    },
  };
}
