export const TRANSPORTS = ['eventsource', 'websocket', 'fetch'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const FAULTS = ['none', 'slow-retrieval', 'model-error', 'midstream-error', 'stall'] as const;
export type FaultChoice = (typeof FAULTS)[number];

export const TRANSPORT_LABELS: Readonly<Record<Transport, string>> = {
  eventsource: 'EventSource',
  websocket: 'WebSocket',
  fetch: 'Streamed fetch',
};

export const FAULT_LABELS: Readonly<Record<FaultChoice, string>> = {
  none: 'No fault',
  'slow-retrieval': 'Slow retrieval',
  'model-error': 'Model error',
  'midstream-error': 'Mid-stream error',
  stall: 'Stream stall',
};

export interface Settings {
  transport: Transport;
  fault: FaultChoice;
}

function pick<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Transport and fault live in the URL (`?transport=&fault=`) so a link or a test can choose them. */
export function readSettings(search: string = location.search): Settings {
  const params = new URLSearchParams(search);
  return {
    transport: pick(TRANSPORTS, params.get('transport'), 'eventsource'),
    fault: pick(FAULTS, params.get('fault'), 'none'),
  };
}

export function writeSettings(settings: Settings): void {
  const url = new URL(location.href);
  url.searchParams.set('transport', settings.transport);
  if (settings.fault === 'none') url.searchParams.delete('fault');
  else url.searchParams.set('fault', settings.fault);
  history.replaceState(history.state, '', url);
}
