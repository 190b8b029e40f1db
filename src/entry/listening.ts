/** `portscope/listening`: this machine's listening sockets and their formats (a subset of src/index.ts). */
export { listening, listeningReport, type ListeningOptions, type ListeningReport } from '../api/listening.js';
export * from '../model/index.js';
export { VERSION } from '../version.js';
export { LISTENING_FORMATS } from '../output/registry-listening.js';
export { formatNamed, type FormatDescriptor } from '../output/format-descriptor.js';
export { renderListeningTable, type ListeningTableOptions } from '../output/listening-table.js';
export type { ListeningReportMeta } from '../output/listening-json.js';
export { parsePortList } from '../local/filter.js';
export { oneLine } from '../output/text.js';
