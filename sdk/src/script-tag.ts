import { init as initSdk, type Streamtrace } from './sdk.js';
import type { StreamtraceOptions } from './config.js';
import { enableDevtools } from './devtools/index.js';
import { SDK_VERSION } from './version.js';
import { safe } from './diag.js';
import { gzip } from './export/gzip.js';
import { remoteSamplingRule } from './sampling/remote-rule.js';

/**
 * The script tag's `init` also takes `compression: 'gzip'` (what `data-compression="gzip"` sets) and
 * `samplingRuleUrl` / `samplingRuleRefreshMs` (`data-sampling-rule-url`): `remoteSamplingRule`'s arguments.
 */
export type ScriptTagOptions = Omit<StreamtraceOptions, 'compression'> & {
  compression?: StreamtraceOptions['compression'] | 'gzip';
  samplingRuleUrl?: string;
  samplingRuleRefreshMs?: number;
};

/**
 * Script-tag build (`streamtrace.iife.js`, global `Streamtrace`). The DevTools hook is on here.
 * Auto-initialises from its own tag when it carries `data-endpoint` or `data-service-name`:
 *   <script src="streamtrace.iife.js" data-endpoint="http://localhost:4318/v1/traces"
 *           data-service-name="chat-ui" data-propagate-to="http://localhost:8787,/api"
 *           data-sample-rate="1" data-capture-content="false"
 *           data-sampling-rule-url="http://localhost:4318/api/sampling" data-compression="gzip"></script>
 * `Streamtrace.instance` then holds that SDK.
 */
export let instance: Streamtrace | undefined;

export function init(options?: ScriptTagOptions): Streamtrace {
  const core: StreamtraceOptions = { ...options, compression: options?.compression === 'gzip' ? gzip : options?.compression };
  if (options?.samplingRuleUrl) core.samplingRule = remoteSamplingRule(options.samplingRuleUrl, { refreshMs: options.samplingRuleRefreshMs });
  const sdk = initSdk(core);
  enableDevtools(sdk);
  instance = sdk;
  return sdk;
}

export function optionsFromScript(script: HTMLOrSVGScriptElement | null): ScriptTagOptions | undefined {
  if (!(script instanceof HTMLScriptElement)) return undefined;
  const data = script.dataset;
  if (data.endpoint === undefined && data.serviceName === undefined) return undefined;
  const options: ScriptTagOptions = {};
  if (data.endpoint) options.endpoint = data.endpoint;
  if (data.serviceName) options.serviceName = data.serviceName;
  if (data.propagateTo) options.propagateTo = data.propagateTo.split(',').map((s) => s.trim()).filter(Boolean);
  if (data.sampleRate) options.sampleRate = Number(data.sampleRate);
  if (data.samplingRuleUrl) options.samplingRuleUrl = data.samplingRuleUrl;
  if (data.compression?.trim() === 'gzip') options.compression = 'gzip';
  if (data.captureContent !== undefined) options.captureContent = data.captureContent === '' || data.captureContent === 'true';
  return options;
}

export { enableDevtools };
export const version = SDK_VERSION;

safe('auto-init from script tag', () => {
  const options = typeof document !== 'undefined' ? optionsFromScript(document.currentScript) : undefined;
  if (options !== undefined) init(options);
});
