/**
 * MQTT 3.1.1 (OASIS mqtt-v3.1.1 §3.1 CONNECT, §3.2 CONNACK, §3.8 SUBSCRIBE, §3.3 PUBLISH). We send CONNECT
 * and, pipelined, SUBSCRIBE to `$SYS/broker/version` (Mosquitto publishes its version there, retained).
 * A broker that refuses anonymous clients still answers CONNACK with a return code, then closes.
 */
import { build } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, body.length]), body]); // bodies here are < 128 bytes
}

function probe(): Buffer {
  const connect = packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 10]), str('portscope')]));
  const subscribe = packet(0x82, Buffer.concat([Buffer.from([0, 1]), str('$SYS/broker/version'), Buffer.from([0])]));
  return Buffer.concat([connect, subscribe]);
}

const CONNACK_CODES: Record<number, string> = { 1: 'protocol refused', 2: 'client id refused', 3: 'server unavailable', 4: 'bad credentials', 5: 'not authorized' };

export function matchMqtt(data: Buffer): ServiceMatch | null {
  if (data.length < 4 || data[0] !== 0x20 || data[1] !== 0x02 || data[2]! > 1) return null;
  const rc = data[3]!;
  if (rc > 5) return null;
  // After CONNACK: SUBACK (0x90) and maybe a PUBLISH (0x3x) with the retained version message.
  const text = data.subarray(4).toString('latin1');
  const m = /\$SYS\/broker\/version(mosquitto version ([\w.]+)|[^\0]*)/.exec(text);
  if (m?.[2]) return build('mqtt', 'Mosquitto', m[2], undefined, ['cpe:/a:eclipse:mosquitto:$v']);
  return build('mqtt', undefined, undefined, rc === 0 ? undefined : CONNACK_CODES[rc]);
}

export const mqtt: ServiceModule = {
  name: 'mqtt',
  probes: [{ name: 'MQTTConnect', rarity: 4, ports: [1883, 8883], payload: probe() }],
  matchers: [{ probes: ['MQTTConnect'], match: matchMqtt }],
};
