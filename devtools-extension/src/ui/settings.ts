export interface PanelSettings {
  /** Where backend spans are looked up: the dev collector, Jaeger or Tempo base URL. */
  queryBaseUrl: string;
  /** "Open in Jaeger/Tempo" link; `{traceId}` is replaced. Empty hides the link. */
  traceUrlTemplate: string;
}

export interface SettingsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'streamtrace.panel.settings';

export function loadSettings(storage: SettingsStorage | undefined, defaults: PanelSettings): PanelSettings {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return defaults;
    const parsed = JSON.parse(raw) as Partial<PanelSettings>;
    return {
      queryBaseUrl: typeof parsed.queryBaseUrl === 'string' && isHttpUrl(parsed.queryBaseUrl) ? parsed.queryBaseUrl : defaults.queryBaseUrl,
      traceUrlTemplate: typeof parsed.traceUrlTemplate === 'string' ? parsed.traceUrlTemplate : defaults.traceUrlTemplate,
    };
  } catch {
    return defaults;
  }
}

export function saveSettings(storage: SettingsStorage | undefined, settings: PanelSettings): void {
  try {
    storage?.setItem(KEY, JSON.stringify(settings));
  } catch {
    // storage full or unavailable: settings last for this session only
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The "open in" link for a trace, only for http(s) templates (never javascript: and friends). */
export function traceLink(template: string, traceId: string): string | undefined {
  if (!template.trim()) return undefined;
  const url = template.includes('{traceId}') ? template.split('{traceId}').join(traceId) : `${template.replace(/\/+$/, '')}/trace/${traceId}`;
  return isHttpUrl(url) ? url : undefined;
}
