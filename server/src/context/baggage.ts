import { ROOT_CONTEXT, defaultTextMapGetter, propagation } from '@opentelemetry/api';
import type { Baggage } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';

const propagator = new W3CBaggagePropagator();

/** Parses W3C `baggage` header value(s) with the specification's size limits. Never throws. */
export function parseBaggage(value: string | string[] | undefined): Baggage | undefined {
  if (value === undefined) return undefined;
  try {
    const ctx = propagator.extract(ROOT_CONTEXT, { baggage: value }, defaultTextMapGetter);
    return propagation.getBaggage(ctx);
  } catch {
    return undefined;
  }
}
