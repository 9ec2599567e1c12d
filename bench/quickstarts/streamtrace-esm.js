// Our quick start through npm: import the ESM `init` and call it (a bundler app would do exactly this).
import { init } from '@streamtrace/web';

const streamtrace = init({
  serviceName: 'bench',
  endpoint: `${location.origin}/v1/traces`,
  propagateTo: [location.origin],
});
window.benchSdk = {
  before(target) {
    const message = streamtrace.startMessage();
    message.setRenderTarget(target);
    return message;
  },
  after(message) {
    message.end();
    return streamtrace.flush();
  },
};
