export { createLogger } from '../shared/logger.js';
