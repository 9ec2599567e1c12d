export { init } from './sdk.js';
export type { Streamtrace } from './sdk.js';
export type { StreamtraceOptions, StorageKind } from './config.js';
export type { ExportStats } from './export/export-queue.js';
export type { RedactAttribute } from './export/redaction.js';
export type { Message, StartMessageOptions, FeedbackOptions, MessageOutcome } from './message/message.js';
export type { ChunkRecord, PaintSource } from './timing/chunk-timeline.js';
export type { SamplingState } from './sampling/state.js';
export type { UnsampledStats } from './sampling/unsampled-buffer.js';
