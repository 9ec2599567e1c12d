import { FAULT_LABELS, FAULTS, TRANSPORT_LABELS, TRANSPORTS } from '../settings.js';
import type { FaultChoice, Settings, Transport } from '../settings.js';

interface Props {
  settings: Settings;
  disabled: boolean;
  onChange(settings: Settings): void;
}

export function Controls({ settings, disabled, onChange }: Props) {
  return (
    <div class="controls">
      <div class="segmented" role="radiogroup" aria-label="Transport" data-testid="transport-switcher">
        {TRANSPORTS.map((transport: Transport) => (
          <button
            type="button"
            role="radio"
            key={transport}
            aria-checked={settings.transport === transport}
            class={settings.transport === transport ? 'on' : ''}
            disabled={disabled}
            data-testid={`transport-${transport}`}
            onClick={() => onChange({ ...settings, transport })}
          >
            {TRANSPORT_LABELS[transport]}
          </button>
        ))}
      </div>
      <label class="fault">
        <span>Fault</span>
        <select
          value={settings.fault}
          disabled={disabled}
          data-testid="fault-select"
          onChange={(event) => onChange({ ...settings, fault: event.currentTarget.value as FaultChoice })}
        >
          {FAULTS.map((fault) => (
            <option key={fault} value={fault}>
              {FAULT_LABELS[fault]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
