// The table lives in shared/ so the collector's panel server uses the same one.
export { contentTypeFor } from '../shared/content-types.js';
