import { envInt, envString } from '../shared/env.js';
import { announceReady, listen } from '../shared/listen.js';
import { createLogger } from '../shared/logger.js';
import { onShutdown } from '../shared/shutdown.js';
import { createModelGrpcServer, listenGrpc } from './grpc-server.js';
import { createModelServer } from './server.js';

const SERVICE_NAME = 'model-service';

const logger = createLogger(SERVICE_NAME);
const defaultFault = process.env['MODEL_FAULT']?.trim();
const apiKey = process.env['MODEL_SERVICE_API_KEY']?.trim();
const options = {
  defaultModel: envString('MODEL_NAME', 'sim-gpt-1'),
  timing: {
    ttftMs: envInt('MODEL_TTFT_MS', 250),
    tokenDelayMs: envInt('MODEL_TOKEN_DELAY_MS', 15),
    jitterMs: envInt('MODEL_JITTER_MS', 10),
  },
  stallMs: envInt('MODEL_STALL_MS', 20_000),
  ...(defaultFault ? { defaultFault } : {}),
  ...(apiKey ? { apiKey } : {}),
  logger,
};
const server = createModelServer(options);
const grpcServer = createModelGrpcServer(options);
const url = await listen(server, envInt('MODEL_PORT', 8789));
const grpcAddress = await listenGrpc(grpcServer, envInt('MODEL_GRPC_PORT', 8790));
onShutdown(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Open streams are destroyed; their 'close' handlers end the spans as cancelled.
      server.closeAllConnections();
      // Cancels open gRPC streams too; their 'cancelled' handlers end the spans the same way.
      grpcServer.forceShutdown();
    }),
);
logger.info({ url, grpcAddress }, 'model service listening');
announceReady(`${SERVICE_NAME}-grpc`, grpcAddress);
announceReady(SERVICE_NAME, url);
