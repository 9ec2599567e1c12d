import type { InstrumentationScope, Resource } from './otlp-types.js';

export interface ScopeGroup<T> {
  scope: InstrumentationScope;
  schemaUrl?: string;
  items: T[];
}

export interface ResourceGroup<T> {
  resource: Resource;
  schemaUrl?: string;
  scopes: ScopeGroup<T>[];
}

// Resource and scope objects are shared by every span of an export batch: serialize each once.
const keyCache = new WeakMap<object, string>();
function keyOf(value: object, schemaUrl: string | undefined): string {
  let key = keyCache.get(value);
  if (key === undefined) {
    key = JSON.stringify(value);
    keyCache.set(value, key);
  }
  return schemaUrl ? `${key}\n${schemaUrl}` : key;
}

/**
 * Items (spans or log records) of one trace grouped by resource and then by scope, so a trace
 * assembled from many export batches is served with one entry per resource and scope.
 */
export class ResourceScopeGroups<T> {
  private readonly resources = new Map<string, { group: ResourceGroup<T>; scopes: Map<string, ScopeGroup<T>> }>();

  add(resource: Resource, resourceSchemaUrl: string | undefined, scope: InstrumentationScope, scopeSchemaUrl: string | undefined, item: T): void {
    const resourceKey = keyOf(resource, resourceSchemaUrl);
    let entry = this.resources.get(resourceKey);
    if (!entry) {
      const group: ResourceGroup<T> = { resource, scopes: [] };
      if (resourceSchemaUrl) group.schemaUrl = resourceSchemaUrl;
      entry = { group, scopes: new Map() };
      this.resources.set(resourceKey, entry);
    }
    const scopeKey = keyOf(scope, scopeSchemaUrl);
    let scoped = entry.scopes.get(scopeKey);
    if (!scoped) {
      scoped = { scope, items: [] };
      if (scopeSchemaUrl) scoped.schemaUrl = scopeSchemaUrl;
      entry.scopes.set(scopeKey, scoped);
      entry.group.scopes.push(scoped);
    }
    scoped.items.push(item);
  }

  groups(): ResourceGroup<T>[] {
    return [...this.resources.values()].map((entry) => entry.group);
  }
}
