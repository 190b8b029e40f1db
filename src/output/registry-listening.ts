/** `portscope listening`'s formats (see registry.ts). */
import type { ListeningSocket } from '../model/index.js';
import type { FormatDescriptor } from './format-descriptor.js';
import { renderListeningJson, type ListeningReportMeta } from './listening-json.js';
import { renderListeningXml } from './listening-xml.js';

/** `portscope listening`'s file formats (the table on stdout is its screen view). */
export const LISTENING_FORMATS: readonly FormatDescriptor<(sockets: readonly ListeningSocket[], meta: ListeningReportMeta) => string>[] = [
  { name: 'json', flag: '-oJ', ext: 'json', help: 'JSON (docs/schema/listening.schema.json)', render: renderListeningJson },
  { name: 'xml', flag: '-oX', ext: 'xml', help: 'XML', render: renderListeningXml },
];
