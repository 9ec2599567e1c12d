// Reads back what the gateways exported, from the dev collector: stream span size per mode, and
// proof that the untraced (`off`) services exported nothing.

const STREAM_SPANS = new Set(['stream sse', 'stream websocket']);

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) return { status: res.status };
  return { status: res.status, body: await res.json() };
}

/**
 * Size of one stored trace: the gateway's stream span (events kept, events the SDK dropped, OTLP
 * JSON bytes) and the whole trace (span count, OTLP JSON bytes). Retries while the batch export
 * is still on its way.
 */
export async function traceSize(collector, traceId, attempts = 10) {
  for (let i = 0; i < attempts; i++) {
    const { status, body } = await getJson(`${collector}/api/v3/traces/${traceId}`);
    if (status === 200) {
      const spans = body.result.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      const stream = spans.find((s) => STREAM_SPANS.has(s.name));
      if (stream && stream.attributes.some((a) => a.key === 'streamtrace.stream.outcome')) {
        return {
          spans: spans.length,
          traceBytes: Buffer.byteLength(JSON.stringify(body.result)),
          streamSpanBytes: Buffer.byteLength(JSON.stringify(stream)),
          events: stream.events?.length ?? 0,
          deltaEvents: (stream.events ?? []).filter((e) => e.name === 'stream.delta').length,
          droppedEvents: stream.droppedEventsCount ?? 0,
        };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`trace ${traceId} (with its stream span) never reached the collector`);
}

/** Traces the collector holds for these service names (the `off` mode's must be zero). */
export async function tracesOf(collector, serviceNames) {
  const counts = {};
  for (const name of serviceNames) {
    const { body } = await getJson(`${collector}/api/traces?limit=1000&service=${encodeURIComponent(name)}`);
    counts[name] = body?.traces?.length ?? 0;
  }
  return counts;
}
