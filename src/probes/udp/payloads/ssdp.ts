import type { UdpPayload } from '../payload.js';

/**
 * SSDP (UPnP Device Architecture 2.0 section 1.3.2): a unicast M-SEARCH for `ssdp:all`. Devices answer
 * `HTTP/1.1 200 OK` with a SERVER header naming OS, UPnP version and product.
 */
export const ssdp: UdpPayload = {
  name: 'upnp',
  ports: [1900],
  build: () => Buffer.from('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n', 'latin1'),
  parse(reply) {
    const text = reply.toString('latin1');
    if (!text.startsWith('HTTP/1.1')) return undefined;
    const server = /^server:\s*(.+)$/im.exec(text)?.[1]?.trim();
    return server ? { name: 'upnp', product: server } : { name: 'upnp' };
  },
};
