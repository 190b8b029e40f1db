/** Scan files read back for `diff` and `import`: nmap XML (nmap's or portscope's -oX) and portscope JSON. */
export { parseScanDocument } from './scan-document.js';
export { readScanFile } from './read-file.js';
export { expandPorts, type ExpandedPort } from './expand-ports.js';
