const promoted = new WeakSet<object>();

/** Records that `joinQueryContext` copied this request's traceparent header from its query. */
export function markPromotedFromQuery(req: object): void {
  promoted.add(req);
}

/** Whether this request's traceparent header was copied from its query parameters. */
export function wasPromotedFromQuery(req: object): boolean {
  return promoted.has(req);
}
