import { captureContent, envInt, envString } from '../shared/env.js';
import { announceReady, listen } from '../shared/listen.js';
import { createLogger } from '../shared/logger.js';
import { onShutdown } from '../shared/shutdown.js';
import { DEFAULT_CORPUS_DIR, loadCorpus } from './corpus.js';
import { createVectorStoreServer } from './server.js';
import { createVectorIndex } from './vector-index.js';

const SERVICE_NAME = 'vector-store';

const logger = createLogger(SERVICE_NAME);
const passages = await loadCorpus(envString('CORPUS_DIR', DEFAULT_CORPUS_DIR));
const defaultFault = process.env['VECTOR_STORE_FAULT']?.trim();
const server = createVectorStoreServer({
  index: createVectorIndex(passages),
  collection: envString('VECTOR_STORE_COLLECTION', 'streamtrace-docs'),
  baseDelayMs: envInt('VECTOR_STORE_DELAY_MS', 0),
  slowDelayMs: envInt('VECTOR_STORE_SLOW_MS', 1200),
  ...(defaultFault ? { defaultFault } : {}),
  captureContent: captureContent(),
  logger,
});
const url = await listen(server, envInt('VECTOR_STORE_PORT', 8788));
onShutdown(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);
logger.info({ url, passages: passages.length }, 'vector store listening');
announceReady(SERVICE_NAME, url);
