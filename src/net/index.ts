export * from './backend.js';
export { classifyConnectOutcome, errnoName } from './classify.js';
export { loadNative, nativeBackend, nativeUnavailableReason } from './native-backend.js';
export { nodeBackend } from './node-backend.js';
export { parseProxyUrl, socks5Backend, type ProxyEndpoint } from './socks5-backend.js';
export { reverseLookup, systemResolver } from './resolver.js';
export { dryBackend } from './dry-backend.js';
export { openFileLimit } from './limits.js';
