import * as grpc from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { ERROR_TYPE_TRAILER } from '../model/grpc-proto.js';
import { UpstreamError } from './upstream-error.js';

const ERROR_TYPE = /^[a-z0-9_.]{1,64}$/;

/**
 * `error.type` of a failed gRPC call: the server's `streamtrace-error-type` trailer when it sent
 * one (the simulated model does: `model_error`, `midstream_error`), else from the status code
 * (`timeout` for DEADLINE_EXCEEDED, `unavailable`, …, `grpc_<code name>`).
 */
export function grpcErrorType(error: Pick<ServiceError, 'code' | 'metadata'>): string {
  const trailer = error.metadata?.get(ERROR_TYPE_TRAILER)[0];
  if (typeof trailer === 'string' && ERROR_TYPE.test(trailer)) return trailer;
  switch (error.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return 'timeout';
    case grpc.status.UNAVAILABLE:
      return 'unavailable';
    case grpc.status.UNAUTHENTICATED:
      return 'unauthenticated';
    default: {
      const name = grpc.status[error.code] as string | undefined;
      return name ? `grpc_${name.toLowerCase()}` : '_OTHER';
    }
  }
}

export function upstreamErrorFromGrpc(error: ServiceError): UpstreamError {
  return new UpstreamError(grpcErrorType(error), `model gRPC call failed (${grpc.status[error.code] ?? error.code}): ${error.details}`);
}
