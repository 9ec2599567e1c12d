import { init } from '@streamtrace/web';
import { enableDevtools } from '@streamtrace/web/devtools';
import { gzip } from '@streamtrace/web/gzip';
import { remoteSamplingRule } from '@streamtrace/web/sampling-rule';
import { render } from 'preact';
import { App } from './components/App.js';
import { loadConfig } from './config.js';
import './styles.css';

async function boot(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  const wsGateway = config.gatewayUrl.replace(/^http/, 'ws');
  const st = init({
    serviceName: 'chat-ui',
    endpoint: `${config.collectorUrl}/v1/traces`,
    propagateTo: [config.gatewayUrl, wsGateway],
    sampleRate: 1,
    captureContent: false,
    // The dev collector takes gzip and allows Content-Encoding: 11–13× fewer bytes on the wire.
    compression: gzip,
    // The dev collector's rule (`PUT /api/sampling`, `--sampling-rate`): none unless one is set.
    samplingRule: remoteSamplingRule(`${config.collectorUrl}/api/sampling`),
  });
  // Only listens until the Streamtrace DevTools panel says hello; costs nothing otherwise.
  enableDevtools(st);
  render(<App st={st} config={config} />, root);
}

const root = document.getElementById('app');
if (root) {
  boot(root).catch((error: unknown) => {
    render(
      <div class="boot-error" role="alert" data-testid="boot-error">
        <h1>The demo could not start</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>,
      root,
    );
  });
}
