/** nmap's compact port list (`1-3,5,7-9`); shared with the output formats, so it lives in model/. */
export { formatPortRanges } from '../model/index.js';
