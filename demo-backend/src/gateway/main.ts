import { envInt } from '../shared/env.js';
import { announceReady, listen } from '../shared/listen.js';
import { onShutdown } from '../shared/shutdown.js';
import { readGatewayConfig } from './config.js';
import { createConversationStore } from './conversations.js';
import { createLogger } from './logger.js';
import { createGateway } from './server.js';

const SERVICE_NAME = 'chat-gateway';

const config = readGatewayConfig();
const logger = createLogger(SERVICE_NAME);
const gateway = createGateway({ config, logger, conversations: createConversationStore() });
const url = await listen(gateway.server, envInt('GATEWAY_PORT', 8787));
onShutdown(
  () =>
    new Promise<void>((resolve) => {
      gateway.closeStreams();
      gateway.server.close(() => resolve());
      // Give cancelled streams a moment to write their last bytes before sockets go.
      setTimeout(() => gateway.server.closeAllConnections(), 200);
    }),
);
logger.info({ url, modelUrl: config.modelUrl, vectorStoreUrl: config.vectorStoreUrl }, 'gateway listening');
announceReady(SERVICE_NAME, url);
