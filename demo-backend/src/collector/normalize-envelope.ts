import { expectArray, expectRecord, normalizeResource, normalizeScope, optionalString } from './normalize-common.js';
import type { InstrumentationScope, Resource } from './otlp-types.js';

/** Field names of one OTLP signal's `resource → scope → item` nesting, e.g. `resourceLogs`, `scopeLogs`, `logRecords`. */
export interface EnvelopeKeys<R extends string, S extends string, I extends string> {
  resources: R;
  scopes: S;
  items: I;
}

type Scoped<I extends string, Item> = { scope: InstrumentationScope; schemaUrl?: string } & { [K in I]: Item[] };
type Resourced<S extends string, I extends string, Item> = { resource: Resource; schemaUrl?: string } & {
  [K in S]: Scoped<I, Item>[];
};

export interface NormalizedEnvelope<R extends string, S extends string, I extends string, Item> {
  data: { [K in R]: Resourced<S, I, Item>[] };
  accepted: number;
  /** Items dropped because `normalizeItem` returned `undefined`. */
  rejected: number;
}

/**
 * Validates an OTLP export request's resource and scope wrappers around its items, keeping only
 * scopes and resources that still hold items once invalid ones are dropped. `normalizeItem`
 * returns `undefined` to drop an item; shape errors throw.
 */
export function normalizeEnvelope<R extends string, S extends string, I extends string, Item>(
  body: unknown,
  keys: EnvelopeKeys<R, S, I>,
  normalizeItem: (value: unknown, where: string) => Item | undefined,
): NormalizedEnvelope<R, S, I, Item> {
  const root = expectRecord(body, 'request');
  let accepted = 0;
  let rejected = 0;
  const resources: Resourced<S, I, Item>[] = [];
  expectArray(root[keys.resources], keys.resources).forEach((resourceValue, r) => {
    const resourceWhere = `${keys.resources}[${r}]`;
    const resourceInput = expectRecord(resourceValue, resourceWhere);
    const scopes: Scoped<I, Item>[] = [];
    expectArray(resourceInput[keys.scopes], `${resourceWhere}.${keys.scopes}`).forEach((scopeValue, s) => {
      const scopeWhere = `${resourceWhere}.${keys.scopes}[${s}]`;
      const scopeInput = expectRecord(scopeValue, scopeWhere);
      const items: Item[] = [];
      expectArray(scopeInput[keys.items], `${scopeWhere}.${keys.items}`).forEach((itemValue, i) => {
        const item = normalizeItem(itemValue, `${scopeWhere}.${keys.items}[${i}]`);
        if (item) items.push(item);
        else rejected++;
      });
      const scope = normalizeScope(scopeInput.scope, `${scopeWhere}.scope`);
      const schemaUrl = optionalString(scopeInput.schemaUrl, `${scopeWhere}.schemaUrl`);
      if (items.length === 0) return;
      accepted += items.length;
      const scoped = { scope, [keys.items]: items } as Scoped<I, Item>;
      if (schemaUrl) scoped.schemaUrl = schemaUrl;
      scopes.push(scoped);
    });
    const resource = normalizeResource(resourceInput.resource, `${resourceWhere}.resource`);
    const schemaUrl = optionalString(resourceInput.schemaUrl, `${resourceWhere}.schemaUrl`);
    if (scopes.length === 0) return;
    const entry = { resource, [keys.scopes]: scopes } as Resourced<S, I, Item>;
    if (schemaUrl) entry.schemaUrl = schemaUrl;
    resources.push(entry);
  });
  const data = { [keys.resources]: resources } as { [K in R]: Resourced<S, I, Item>[] };
  return { data, accepted, rejected };
}
