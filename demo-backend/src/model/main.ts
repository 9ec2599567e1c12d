import { envInt, envString } from '../shared/env.js';
import { announceReady, listen } from '../shared/listen.js';
import { onShutdown } from '../shared/shutdown.js';
import { createModelServer } from './server.js';

const SERVICE_NAME = 'model-service';

const defaultFault = process.env['MODEL_FAULT']?.trim();
const apiKey = process.env['MODEL_SERVICE_API_KEY']?.trim();
const server = createModelServer({
  defaultModel: envString('MODEL_NAME', 'sim-gpt-1'),
  timing: {
    ttftMs: envInt('MODEL_TTFT_MS', 250),
    tokenDelayMs: envInt('MODEL_TOKEN_DELAY_MS', 15),
    jitterMs: envInt('MODEL_JITTER_MS', 10),
  },
  stallMs: envInt('MODEL_STALL_MS', 20_000),
  ...(defaultFault ? { defaultFault } : {}),
  ...(apiKey ? { apiKey } : {}),
});
const url = await listen(server, envInt('MODEL_PORT', 8789));
onShutdown(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Open streams are destroyed; their 'close' handlers end the spans as cancelled.
      server.closeAllConnections();
    }),
);
announceReady(SERVICE_NAME, url);
