/**
 * Opt-in: `init({ compression: gzip })` sends export bodies gzip-compressed. Its own entry, so an
 * app that does not use it does not bundle it (the script tag has it: `data-compression="gzip"`).
 */
export { gzip } from './export/gzip.js';
