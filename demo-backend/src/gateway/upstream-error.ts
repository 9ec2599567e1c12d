/** A failure talking to retrieval or the model, with the low-cardinality `error.type` to record. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly type: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The client went away; not an error, the stream is cancelled. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'client disconnected') {
    super(message);
  }
}
