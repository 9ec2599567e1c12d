import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnService } from './spawn-service.js';
import type { RunningService } from './spawn-service.js';

export type StackService = 'collector' | 'gateway' | 'vectorStore' | 'model' | 'modelGrpc' | 'web';

export interface StackOptions {
  /** Ports per service; a missing one is 0 (any free port). See DEFAULT_PORTS for the usual ones. */
  ports?: Partial<Record<StackService, number>>;
  /** Extra environment for every service (e.g. MODEL_TTFT_MS, GATEWAY_TOKEN_TIMEOUT_MS, MODEL_TRANSPORT=grpc). */
  env?: Record<string, string>;
  /** Also start the demo chat page server. */
  web?: boolean;
  /** Receives every line the services print (except READY lines). */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface Stack {
  /** `modelGrpc` is `host:port` (a gRPC target), the others are base URLs. */
  urls: { collector: string; gateway: string; vectorStore: string; model: string; modelGrpc: string; web?: string };
  /** Stops services in reverse order; the collector last, so it receives their final spans. */
  stop(): Promise<void>;
}

/** The ports in docs/architecture.md, for a launcher that wants the documented addresses. */
export const DEFAULT_PORTS: Record<StackService, number> = {
  collector: 4318,
  gateway: 8787,
  vectorStore: 8788,
  model: 8789,
  modelGrpc: 8790,
  web: 5173,
};

/** `demo-backend/`, found from both `src/stack` and `dist/stack`. */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(PACKAGE_DIR, 'dist');
const REGISTER = join(DIST, 'telemetry', 'register.js');

/** Starts the built collector, vector-store, model-service, chat-gateway (and web page server). */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const ports = options.ports ?? {};
  const running: RunningService[] = [];
  const base = { cwd: PACKAGE_DIR, readyTimeoutMs: options.readyTimeoutMs ?? 20_000, ...(options.log ? { log: options.log } : {}) };
  const entry = (path: string): string => {
    const file = join(DIST, path);
    if (!existsSync(file)) throw new Error(`${file} is missing: build first (npm run build -w server && npx tsc -p demo-backend/tsconfig.build.json)`);
    return file;
  };
  const traced = (name: string, path: string, env: Record<string, string>, alsoReady?: string[]) =>
    spawnService({
      ...base,
      name,
      ...(alsoReady ? { alsoReady } : {}),
      args: ['--import', REGISTER, entry(path)],
      env: { ...options.env, OTEL_SERVICE_NAME: name, OTLP_ENDPOINT: collector.url, ...env },
    });

  const stopAll = async (): Promise<void> => {
    const collectorService = running[0];
    await Promise.all(running.slice(1).reverse().map((service) => service.stop()));
    await collectorService?.stop();
  };

  let collector: RunningService;
  try {
    collector = await spawnService({
      ...base,
      name: 'streamtrace-collector',
      args: [entry('collector/main.js')],
      env: { ...options.env, COLLECTOR_PORT: String(ports.collector ?? 0) },
    });
    running.push(collector);
    // allSettled, not all: if one fails the other must still be tracked so stopAll ends it.
    const [vectorStore, model] = fulfilled(
      await Promise.allSettled([
        traced('vector-store', 'retrieval/main.js', { VECTOR_STORE_PORT: String(ports.vectorStore ?? 0) }).then(track),
        traced('model-service', 'model/main.js', { MODEL_PORT: String(ports.model ?? 0), MODEL_GRPC_PORT: String(ports.modelGrpc ?? 0) }, [
          'model-service-grpc',
        ]).then(track),
      ]),
    );
    const modelGrpc = model.readyUrls['model-service-grpc']!;
    const gateway = track(
      await traced('chat-gateway', 'gateway/main.js', {
        GATEWAY_PORT: String(ports.gateway ?? 0),
        VECTOR_STORE_URL: vectorStore.url,
        // A caller may point the gateway at a real OpenAI-compatible server instead.
        MODEL_URL: options.env?.['MODEL_URL'] ?? model.url,
        MODEL_GRPC_URL: options.env?.['MODEL_GRPC_URL'] ?? modelGrpc,
      }),
    );
    let web: RunningService | undefined;
    if (options.web) {
      web = track(
        await spawnService({
          ...base,
          name: 'demo-web',
          args: [entry('web-server/main.js')],
          env: { ...options.env, WEB_PORT: String(ports.web ?? 0), GATEWAY_URL: gateway.url, COLLECTOR_URL: collector.url },
        }),
      );
    }
    return {
      urls: {
        collector: collector.url,
        gateway: gateway.url,
        vectorStore: vectorStore.url,
        model: model.url,
        modelGrpc,
        ...(web ? { web: web.url } : {}),
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }

  function track(service: RunningService): RunningService {
    running.push(service);
    return service;
  }
}

function fulfilled(results: PromiseSettledResult<RunningService>[]): [RunningService, RunningService] {
  const values = results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return [values[0]!, values[1]!];
}
