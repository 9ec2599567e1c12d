import { createRequire } from 'node:module';

// The official protobufjs static code generated from opentelemetry-proto, shipped by
// @opentelemetry/otlp-transformer@0.52.1 (installed under the alias otlp-proto-decoder).
// Newer otlp-transformer releases only encode requests, so this older copy is used for decoding
// metrics and encoding responses. Traces and logs are decoded by normalize-proto-*.ts instead.
interface GeneratedMessage {
  decode(reader: Uint8Array): object;
  toObject(message: object, options: Record<string, unknown>): Record<string, unknown>;
  fromObject(object: Record<string, unknown>): object;
  encode(message: object): { finish(): Uint8Array };
}
interface GeneratedRoot {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: { ExportTraceServiceRequest: GeneratedMessage; ExportTraceServiceResponse: GeneratedMessage } };
        logs: { v1: { ExportLogsServiceRequest: GeneratedMessage; ExportLogsServiceResponse: GeneratedMessage } };
        metrics: { v1: { ExportMetricsServiceRequest: GeneratedMessage; ExportMetricsServiceResponse: GeneratedMessage } };
      };
    };
  };
}

const root = createRequire(import.meta.url)(
  '@opentelemetry/otlp-proto-decoder/build/esm/generated/root.js',
) as GeneratedRoot;

// Longs become decimal strings; bytes become base64 (ids are converted to hex by the normalizer,
// bytesValue stays base64 as OTLP JSON wants); enums stay numbers.
const TO_OBJECT = { longs: String, bytes: String, enums: Number, defaults: false, arrays: false };

function decodeWith(message: GeneratedMessage, bytes: Uint8Array): Record<string, unknown> {
  return message.toObject(message.decode(bytes), TO_OBJECT);
}

/** Decodes an OTLP `ExportMetricsServiceRequest`; throws on malformed bytes. */
export function decodeMetricsRequest(bytes: Uint8Array): Record<string, unknown> {
  return decodeWith(root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest, bytes);
}

/** The protobuf `Export*ServiceResponse`, as OTLP requires for a protobuf request. */
export function encodeExportResponse(kind: 'traces' | 'logs' | 'metrics', partialSuccess: Record<string, unknown>): Uint8Array {
  const collector = root.opentelemetry.proto.collector;
  const message =
    kind === 'traces'
      ? collector.trace.v1.ExportTraceServiceResponse
      : kind === 'logs'
        ? collector.logs.v1.ExportLogsServiceResponse
        : collector.metrics.v1.ExportMetricsServiceResponse;
  return message.encode(message.fromObject({ partialSuccess })).finish();
}
