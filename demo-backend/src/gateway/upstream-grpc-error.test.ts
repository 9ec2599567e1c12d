import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { grpcServerAttributes } from './upstream-grpc-client.js';
import { grpcErrorType } from './upstream-grpc-error.js';

function failure(code: grpc.status, trailer?: string): { code: grpc.status; metadata: grpc.Metadata } {
  const metadata = new grpc.Metadata();
  if (trailer !== undefined) metadata.set('streamtrace-error-type', trailer);
  return { code, metadata };
}

describe('grpcErrorType', () => {
  it('prefers the server error-type trailer', () => {
    expect(grpcErrorType(failure(grpc.status.UNAVAILABLE, 'model_error'))).toBe('model_error');
  });

  it('falls back to the status code when the trailer is missing or not a low-cardinality token', () => {
    expect(grpcErrorType(failure(grpc.status.DEADLINE_EXCEEDED))).toBe('timeout');
    expect(grpcErrorType(failure(grpc.status.UNAVAILABLE))).toBe('unavailable');
    expect(grpcErrorType(failure(grpc.status.RESOURCE_EXHAUSTED, 'Not A Type!'))).toBe('grpc_resource_exhausted');
    expect(grpcErrorType({ code: 99 as grpc.status, metadata: new grpc.Metadata() })).toBe('_OTHER');
  });
});

describe('grpcServerAttributes', () => {
  it('splits host:port targets, IPv6 included', () => {
    expect(grpcServerAttributes('127.0.0.1:8790')).toEqual({ 'server.address': '127.0.0.1', 'server.port': 8790 });
    expect(grpcServerAttributes('[::1]:50051')).toEqual({ 'server.address': '::1', 'server.port': 50051 });
  });
});
