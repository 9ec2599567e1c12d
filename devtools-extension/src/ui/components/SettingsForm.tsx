import { useState } from 'preact/hooks';
import type { PanelSettings } from '../settings';
import { isHttpUrl } from '../settings';

export interface SettingsFormProps {
  settings: PanelSettings;
  showQueryEndpoint: boolean;
  onSave: (settings: PanelSettings) => void;
  onClose: () => void;
}

export function SettingsForm({ settings, showQueryEndpoint, onSave, onClose }: SettingsFormProps) {
  const [query, setQuery] = useState(settings.queryBaseUrl);
  const [template, setTemplate] = useState(settings.traceUrlTemplate);
  const queryValid = !showQueryEndpoint || isHttpUrl(query);
  return (
    <form
      class="settings"
      onSubmit={(event) => {
        event.preventDefault();
        if (queryValid) onSave({ queryBaseUrl: query.trim(), traceUrlTemplate: template.trim() });
      }}
    >
      {showQueryEndpoint ? (
        <label>
          <span>Backend query endpoint (dev collector, Jaeger or Tempo)</span>
          <input value={query} onInput={(event) => setQuery((event.currentTarget as HTMLInputElement).value)} placeholder="http://127.0.0.1:4318" />
          {!queryValid ? <span class="text-error">Enter an http(s) URL</span> : null}
        </label>
      ) : null}
      <label>
        <span>"Open in" trace URL ({'{traceId}'} is replaced), e.g. http://localhost:16686/trace/{'{traceId}'}</span>
        <input value={template} onInput={(event) => setTemplate((event.currentTarget as HTMLInputElement).value)} placeholder="empty: no link" />
      </label>
      <div class="settings-actions">
        <button type="submit" class="tb-button primary" disabled={!queryValid}>Save</button>
        <button type="button" class="tb-button" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}
