/**
 * Port lists as nmap writes them in `services=` and `<extrareasons ports=…>`: ascending, consecutive runs
 * joined with `-`, runs separated by `,` (e.g. `1-21,23-99`). Both directions live in model/text-forms.ts.
 */
export { formatPortRanges, parsePortRanges } from '../model/index.js';
