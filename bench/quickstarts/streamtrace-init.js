// Our script-tag quick start: runs after streamtrace.iife.js (served as shipped) defined window.Streamtrace.
const streamtrace = window.Streamtrace.init({
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
