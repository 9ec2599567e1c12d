import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { envInt, envString } from '../shared/env.js';
import { announceReady, listen } from '../shared/listen.js';
import { onShutdown } from '../shared/shutdown.js';
import { createWebHandler } from './handler.js';

// Built file: demo-backend/dist/web-server/main.js → demo-backend/web/dist
const root = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const server = createServer(
  createWebHandler({
    root,
    config: {
      gatewayUrl: envString('GATEWAY_URL', 'http://127.0.0.1:8787'),
      collectorUrl: envString('COLLECTOR_URL', 'http://127.0.0.1:4318'),
    },
  }),
);

onShutdown(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

// READY only after the signal handlers exist: a launcher may stop us the moment it reads the line.
const url = await listen(server, envInt('WEB_PORT', 5173));
announceReady('demo-web', url);
