/** Which probe backends this process would use, and why: what `portscope doctor` reports. */
import { loadNative, nativeUnavailableReason } from './native-backend.js';
import { loadNativeUdp, nativeUdpUnavailableReason } from './udp-native-backend.js';

export interface BackendStatus {
  /** TCP connect backend used by `--backend auto`. */
  connect: 'native' | 'node';
  /** UDP prober used by -sU. */
  udp: 'native' | 'dgram';
  /** Where the native addon came from: compiled at install (build/Release), or none loaded. */
  source: 'compiled' | 'none';
  /** Why the native addon is not used ('' when it is). */
  reason: string;
}

export function backendStatus(): BackendStatus {
  const connect = loadNative() ? 'native' : 'node';
  const udp = loadNativeUdp() ? 'native' : 'dgram';
  const reasons = [connect === 'node' ? nativeUnavailableReason() : '', udp === 'dgram' ? nativeUdpUnavailableReason() : ''].filter(Boolean);
  return { connect, udp, source: connect === 'native' || udp === 'native' ? 'compiled' : 'none', reason: [...new Set(reasons)].join('; ') };
}
