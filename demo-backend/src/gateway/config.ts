import { captureContent, envInt, envString } from '../shared/env.js';

export interface GatewayConfig {
  vectorStoreUrl: string;
  modelUrl: string;
  /** How the gateway calls the model: HTTP SSE at `modelUrl`, or gRPC `StreamChat` at `modelGrpcUrl`. */
  modelTransport: 'http' | 'grpc';
  /** `host:port` of the model's gRPC server. */
  modelGrpcUrl: string;
  modelApiKey?: string;
  modelName: string;
  providerName: string;
  dataSourceId: string;
  topK: number;
  /** Longest wait for the first model token (real models can be slow to prefill). */
  firstTokenTimeoutMs: number;
  /** Longest silence between two model chunks before the stream fails with `timeout`. */
  tokenTimeoutMs: number;
  retrievalTimeoutMs: number;
  captureContent: boolean;
  /** Extra allowed CORS origins beyond localhost / 127.0.0.1 on any port. */
  allowOrigins: string[];
}

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const modelUrl = envString('MODEL_URL', 'http://127.0.0.1:8789', env).replace(/\/+$/, '');
  const apiKey = env['MODEL_API_KEY']?.trim();
  const transport = envString('MODEL_TRANSPORT', 'http', env).toLowerCase();
  if (transport !== 'http' && transport !== 'grpc') throw new Error(`MODEL_TRANSPORT must be http or grpc, not "${transport}"`);
  const local = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(modelUrl);
  return {
    vectorStoreUrl: envString('VECTOR_STORE_URL', 'http://127.0.0.1:8788', env).replace(/\/+$/, ''),
    modelUrl,
    modelTransport: transport,
    // `host:port`; a URL-style `grpc://host:port` is accepted too.
    modelGrpcUrl: envString('MODEL_GRPC_URL', '127.0.0.1:8790', env).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, ''),
    ...(apiKey ? { modelApiKey: apiKey } : {}),
    modelName: envString('MODEL_NAME', 'sim-gpt-1', env),
    providerName: envString('MODEL_PROVIDER', local ? 'streamtrace.sim' : 'openai', env),
    dataSourceId: envString('VECTOR_STORE_COLLECTION', 'streamtrace-docs', env),
    topK: envInt('RETRIEVAL_TOP_K', 3, env),
    firstTokenTimeoutMs: envInt('GATEWAY_FIRST_TOKEN_TIMEOUT_MS', 30_000, env),
    tokenTimeoutMs: envInt('GATEWAY_TOKEN_TIMEOUT_MS', 5000, env),
    retrievalTimeoutMs: envInt('GATEWAY_RETRIEVAL_TIMEOUT_MS', 10_000, env),
    captureContent: captureContent(env),
    allowOrigins: (env['GATEWAY_ALLOW_ORIGINS'] ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  };
}
