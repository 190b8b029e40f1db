export { PAYLOADS, datagramFor, identifyReply, payloadFor } from './table.js';
export type { ServiceGuess, UdpPayload } from './payload.js';
