import { ResourceScopeGroups } from './grouping.js';
import type { LogRecord, LogsData, ResourceLogs } from './otlp-types.js';

export interface LogStoreStats {
  logRecords: number;
  maxLogRecords: number;
  evictedLogRecords: number;
  /** Records without a trace id: accepted but not stored (nothing could look them up). */
  unlinkedLogRecords: number;
}

export interface LogStore {
  /** Stores records that carry a trace id; returns what was stored. */
  add(data: LogsData): LogsData;
  get(traceId: string): LogsData | undefined;
  stats(): LogStoreStats;
}

function toResourceLogs(groups: ResourceScopeGroups<LogRecord>): ResourceLogs[] {
  return groups.groups().map((group) => {
    const rl: ResourceLogs = {
      resource: group.resource,
      scopeLogs: group.scopes.map((scope) => {
        const sl: ResourceLogs['scopeLogs'][number] = { scope: scope.scope, logRecords: [...scope.items] };
        if (scope.schemaUrl) sl.schemaUrl = scope.schemaUrl;
        return sl;
      }),
    };
    if (group.schemaUrl) rl.schemaUrl = group.schemaUrl;
    return rl;
  });
}

/** Log records kept beside their trace; bounded like spans, evicting the oldest trace's logs whole. */
export function createLogStore(options: { maxLogRecords: number }): LogStore {
  const maxLogRecords = Math.max(1, Math.floor(options.maxLogRecords));
  const byTrace = new Map<string, { groups: ResourceScopeGroups<LogRecord>; count: number }>();
  let count = 0;
  let evicted = 0;
  let unlinked = 0;

  return {
    add(data) {
      const stored = new ResourceScopeGroups<LogRecord>();
      for (const rl of data.resourceLogs) {
        for (const sl of rl.scopeLogs) {
          for (const record of sl.logRecords) {
            if (!record.traceId) {
              unlinked++;
              continue;
            }
            let entry = byTrace.get(record.traceId);
            if (!entry) {
              entry = { groups: new ResourceScopeGroups<LogRecord>(), count: 0 };
              byTrace.set(record.traceId, entry);
            }
            entry.groups.add(rl.resource, rl.schemaUrl, sl.scope, sl.schemaUrl, record);
            entry.count++;
            count++;
            stored.add(rl.resource, rl.schemaUrl, sl.scope, sl.schemaUrl, record);
          }
        }
      }
      for (const [traceId, entry] of byTrace) {
        if (count <= maxLogRecords) break;
        byTrace.delete(traceId);
        count -= entry.count;
        evicted += entry.count;
      }
      return { resourceLogs: toResourceLogs(stored) };
    },

    get(traceId) {
      const entry = byTrace.get(traceId);
      return entry ? { resourceLogs: toResourceLogs(entry.groups) } : undefined;
    },

    stats() {
      return { logRecords: count, maxLogRecords, evictedLogRecords: evicted, unlinkedLogRecords: unlinked };
    },
  };
}
