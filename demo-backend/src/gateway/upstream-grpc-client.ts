import * as grpc from '@grpc/grpc-js';
import { chatModelService } from '../model/grpc-proto.js';

const clients = new Map<string, grpc.Client>();

/** One `ChatModel` client (one HTTP/2 channel) per target, reused by every chat message. */
export function chatModelClient(target: string): grpc.Client {
  let client = clients.get(target);
  if (!client) {
    const Client = chatModelService();
    client = new Client(target, grpc.credentials.createInsecure());
    clients.set(target, client);
  }
  return client;
}

/** `server.address` / `server.port` of a `host:port` gRPC target. */
export function grpcServerAttributes(target: string): { 'server.address': string; 'server.port': number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
  return { 'server.address': (match?.[1] ?? target).replace(/^\[|\]$/g, ''), 'server.port': Number(match?.[2] ?? 443) };
}
