/** Which probe backends this process would use, and why: what `portscope doctor` reports. */
import { addonStatus, type AddonSource } from './addon.js';
import { loadNativeUdp } from './udp-native-backend.js';

export interface BackendStatus {
  /** TCP connect backend used by `--backend auto`. */
  connect: 'native' | 'node';
  /** UDP prober used by -sU. */
  udp: 'native' | 'dgram';
  /** Where the native addon came from: prebuilt (shipped in the package), compiled here, or none. */
  source: AddonSource;
  /** The addon file in use, or why there is none. */
  reason: string;
  path?: string;
}

export function backendStatus(): BackendStatus {
  const s = addonStatus();
  return { connect: s.backend, udp: loadNativeUdp() ? 'native' : 'dgram', source: s.source, reason: s.reason, ...(s.path ? { path: s.path } : {}) };
}
