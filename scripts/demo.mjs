// Starts the dev collector, the three traced demo services and the demo chat page, prints the
// URLs, and stops everything on Ctrl-C. Ports come from the environment (see README).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startStack } from '../demo-backend/dist/stack/start-stack.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = (name, fallback) => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
};

const stack = await startStack({
  ports: {
    collector: port('COLLECTOR_PORT', 4318),
    gateway: port('GATEWAY_PORT', 8787),
    vectorStore: port('VECTOR_STORE_PORT', 8788),
    model: port('MODEL_PORT', 8789),
    modelGrpc: port('MODEL_GRPC_PORT', 8790),
    web: port('WEB_PORT', 5173),
  },
  web: true,
  log: (line) => process.stdout.write(`${line}\n`),
});

const { urls } = stack;
console.log(`
Streamtrace demo is running.

  Chat page          ${urls.web}
  Panel (standalone) ${urls.collector}/
  Dev collector      ${urls.collector}   (OTLP/HTTP: ${urls.collector}/v1/traces)
  Gateway            ${urls.gateway}
  Vector store       ${urls.vectorStore}
  Model service      ${urls.model}   (gRPC ${urls.modelGrpc}; MODEL_TRANSPORT=grpc switches the gateway)

  DevTools panel: chrome://extensions → Developer mode → Load unpacked →
    ${join(root, 'devtools-extension', 'dist', 'extension')}
  then open DevTools on the chat page → "Streamtrace".

Press Ctrl-C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
