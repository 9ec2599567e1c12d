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

/**
 * Items (spans or log records) of one trace grouped by resource and then by scope, so a trace
 * assembled from many export batches is served with one entry per resource and scope.
 */
export class ResourceScopeGroups<T> {
  private readonly resources = new Map<string, { group: ResourceGroup<T>; scopes: Map<string, ScopeGroup<T>> }>();

  add(resource: Resource, resourceSchemaUrl: string | undefined, scope: InstrumentationScope, scopeSchemaUrl: string | undefined, item: T): void {
    const resourceKey = JSON.stringify([resource, resourceSchemaUrl ?? '']);
    let entry = this.resources.get(resourceKey);
    if (!entry) {
      const group: ResourceGroup<T> = { resource, scopes: [] };
      if (resourceSchemaUrl) group.schemaUrl = resourceSchemaUrl;
      entry = { group, scopes: new Map() };
      this.resources.set(resourceKey, entry);
    }
    const scopeKey = JSON.stringify([scope, scopeSchemaUrl ?? '']);
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
