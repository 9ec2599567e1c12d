import { fileURLToPath } from 'node:url';
// The namespace, not the default export: grpc-js exports `loadPackageDefinition` as a getter,
// so instrumentation-grpc can wrap it only on the ES module namespace (import-in-the-middle).
import * as grpc from '@grpc/grpc-js';
import type { ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** `demo-backend/proto/chat.proto`, found from both `src/model` and `dist/model`. */
export const CHAT_PROTO_PATH = fileURLToPath(new URL('../../proto/chat.proto', import.meta.url));
export const CHAT_SERVICE_NAME = 'streamtrace.model.v1.ChatModel';
/** Trailer carrying the low-cardinality `error.type` beside a failed call's status. */
export const ERROR_TYPE_TRAILER = 'streamtrace-error-type';

/** Messages as proto-loader decodes them (`keepCase`, `defaults`): every scalar is present. */
export interface GrpcChatMessage {
  role: string;
  content: string;
}
export interface GrpcChatRequest {
  model: string;
  messages: GrpcChatMessage[];
  max_tokens: number;
  fault: string;
}
export interface GrpcUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
export interface GrpcChatChunk {
  id: string;
  model: string;
  content: string;
  finish_reason: string;
  usage?: GrpcUsage | null;
}

let service: ServiceClientConstructor | undefined;

/**
 * The `ChatModel` client constructor; its `service` property is the server-side definition.
 * Loaded on first use, so the gRPC instrumentation (enabled before app code) sees the load.
 */
export function chatModelService(): ServiceClientConstructor {
  if (service) return service;
  const definition = loadSync(CHAT_PROTO_PATH, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  let node: unknown = grpc.loadPackageDefinition(definition);
  for (const part of CHAT_SERVICE_NAME.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'function') throw new Error(`${CHAT_SERVICE_NAME} missing from ${CHAT_PROTO_PATH}`);
  service = node as ServiceClientConstructor;
  return service;
}
