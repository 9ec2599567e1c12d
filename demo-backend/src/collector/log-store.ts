import { ResourceScopeGroups } from './grouping.js';
import type { InstrumentationScope, LogRecord, LogsData, Resource, ResourceLogs } from './otlp-types.js';

export interface LogStoreStats {
  logRecords: number;
  maxLogRecords: number;
  evictedLogRecords: number;
  /** Records without a trace id received so far (kept in the bounded untraced bucket). */
  unlinkedLogRecords: number;
  untracedLogRecords: number;
  maxUntracedLogRecords: number;
  evictedUntracedLogRecords: number;
}

export interface LogStore {
  /** Stores records beside their trace, or in the untraced bucket; returns what was stored. */
  add(data: LogsData): LogsData;
  /** A trace's records, sorted by time. */
  get(traceId: string): LogsData | undefined;
  /** Records without a trace id, most recent `maxUntracedLogRecords`, sorted by time. */
  untraced(): LogsData;
  stats(): LogStoreStats;
}

interface Located {
  resource: Resource;
  resourceSchemaUrl: string | undefined;
  scope: InstrumentationScope;
  scopeSchemaUrl: string | undefined;
  record: LogRecord;
}

/** The record's own time, or when it was observed when the source did not set one (0). */
function recordTime(record: LogRecord): bigint {
  const time = BigInt(record.timeUnixNano);
  return time !== 0n ? time : BigInt(record.observedTimeUnixNano);
}

function byTime(a: Located, b: Located): number {
  const ta = recordTime(a.record);
  const tb = recordTime(b.record);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** Groups by resource and scope in order of each group's earliest record; records sorted by time within. */
function toLogsData(records: Located[]): LogsData {
  const groups = new ResourceScopeGroups<LogRecord>();
  for (const r of [...records].sort(byTime)) groups.add(r.resource, r.resourceSchemaUrl, r.scope, r.scopeSchemaUrl, r.record);
  const resourceLogs = groups.groups().map((group) => {
    const rl: ResourceLogs = {
      resource: group.resource,
      scopeLogs: group.scopes.map((scope) => {
        const sl: ResourceLogs['scopeLogs'][number] = { scope: scope.scope, logRecords: scope.items };
        if (scope.schemaUrl) sl.schemaUrl = scope.schemaUrl;
        return sl;
      }),
    };
    if (group.schemaUrl) rl.schemaUrl = group.schemaUrl;
    return rl;
  });
  return { resourceLogs };
}

/**
 * Log records kept beside their trace; bounded like spans, evicting the oldest trace's logs whole.
 * Records without a trace id (start-up lines, background work) go to a separate bounded bucket,
 * oldest dropped first, so they cannot push traced logs out.
 */
export function createLogStore(options: { maxLogRecords: number; maxUntracedLogRecords?: number }): LogStore {
  const maxLogRecords = Math.max(1, Math.floor(options.maxLogRecords));
  const maxUntraced = Math.max(1, Math.floor(options.maxUntracedLogRecords ?? Math.min(maxLogRecords, 10_000)));
  const byTrace = new Map<string, Located[]>();
  // Ring buffer of untraced records: `untracedStart` is the oldest once it is full.
  const untraced: Located[] = [];
  let untracedStart = 0;
  let count = 0;
  let evicted = 0;
  let unlinked = 0;
  let evictedUntraced = 0;

  const keepUntraced = (located: Located): void => {
    unlinked++;
    if (untraced.length < maxUntraced) {
      untraced.push(located);
      return;
    }
    untraced[untracedStart] = located;
    untracedStart = (untracedStart + 1) % maxUntraced;
    evictedUntraced++;
  };

  return {
    add(data) {
      const stored: Located[] = [];
      for (const rl of data.resourceLogs) {
        for (const sl of rl.scopeLogs) {
          for (const record of sl.logRecords) {
            const located: Located = { resource: rl.resource, resourceSchemaUrl: rl.schemaUrl, scope: sl.scope, scopeSchemaUrl: sl.schemaUrl, record };
            stored.push(located);
            if (!record.traceId) {
              keepUntraced(located);
              continue;
            }
            let entry = byTrace.get(record.traceId);
            if (!entry) {
              entry = [];
              byTrace.set(record.traceId, entry);
            }
            entry.push(located);
            count++;
          }
        }
      }
      for (const [traceId, entry] of byTrace) {
        if (count <= maxLogRecords) break;
        byTrace.delete(traceId);
        count -= entry.length;
        evicted += entry.length;
      }
      return toLogsData(stored);
    },

    get(traceId) {
      const entry = byTrace.get(traceId);
      return entry ? toLogsData(entry) : undefined;
    },

    untraced: () => toLogsData(untraced),

    stats() {
      return {
        logRecords: count,
        maxLogRecords,
        evictedLogRecords: evicted,
        unlinkedLogRecords: unlinked,
        untracedLogRecords: untraced.length,
        maxUntracedLogRecords: maxUntraced,
        evictedUntracedLogRecords: evictedUntraced,
      };
    },
  };
}
