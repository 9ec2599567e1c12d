// Smoke test against the real demo backend (built): a plain page with only the IIFE script tag asks
// the gateway over EventSource, fetch and WebSocket; the trace must contain the gateway's spans
// joined under the browser's chat.stream span. Usage: node sdk/scripts/smoke-demo.mjs
import { chromium } from '@playwright/test';
import { startStack } from '../../demo-backend/dist/stack/start-stack.js';
import { startSdkTestServer } from '../e2e-support/server.mjs';

const stack = await startStack({ ports: { collector: 0, gateway: 0, vectorStore: 0, model: 0, modelGrpc: 0, web: 0 }, web: false, log: () => {} });
const page = await startSdkTestServer();
const { collector, gateway } = stack.urls;
page.setPage('/smoke.html', `<!doctype html><body><p data-streamtrace-message=""></p>
<script src="/dist/streamtrace.iife.js" data-endpoint="${collector}/v1/traces" data-service-name="smoke" data-propagate-to="${gateway}"></script>
<script>
  const out = document.querySelector('p');
  window.viaEventSource = () => new Promise((resolve) => {
    const msg = Streamtrace.instance.startMessage({ conversationId: 'smoke' });
    const es = new EventSource('${gateway}/api/chat/stream?message=hello&conversationId=smoke');
    es.onmessage = (e) => { const d = JSON.parse(e.data); if (d.type === 'delta') out.append(d.text); if (d.type === 'done' || d.type === 'error') { es.close(); msg.end(); resolve({ traceId: msg.traceId, server: d }); } };
  });
  window.viaFetch = async () => {
    const msg = Streamtrace.instance.startMessage({ conversationId: 'smoke' });
    const res = await fetch('${gateway}/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hello' }) });
    const text = await res.text();
    msg.end();
    return { traceId: msg.traceId, serverTraceparent: res.headers.get('traceparent'), events: text.split('\\n\\n').length };
  };
  window.viaWebSocket = () => new Promise((resolve) => {
    const msg = Streamtrace.instance.startMessage({ conversationId: 'smoke' });
    const ws = new WebSocket('${gateway.replace('http', 'ws')}/api/chat/ws');
    ws.onopen = () => ws.send(JSON.stringify({ message: 'hello' }));
    ws.onmessage = (e) => { const d = JSON.parse(e.data); if (d.type === 'delta') out.append(d.text); if (d.type === 'done' || d.type === 'error') { ws.close(); msg.end(); resolve({ traceId: msg.traceId }); } };
  });
</script></body>`);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
let failed = false;
try {
  const tab = await browser.newPage();
  await tab.goto(`${page.baseUrl}/smoke.html`);
  for (const fn of ['viaEventSource', 'viaFetch', 'viaWebSocket']) {
    const result = await tab.evaluate((name) => window[name](), fn);
    await tab.evaluate(() => window.Streamtrace.instance.flush());
    let spans = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${collector}/api/v3/traces/${result.traceId}`);
      if (res.ok) {
        const body = await res.json();
        spans = body.result.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, service: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue }))));
        if (spans.some((s) => s.service === 'chat-gateway') && spans.some((s) => s.name === 'chat.message')) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const services = [...new Set(spans.map((s) => s.service))].sort();
    const stream = spans.find((s) => s.name === 'chat.stream');
    const joined = spans.filter((s) => s.service === 'chat-gateway' && s.parentSpanId === stream?.spanId);
    const ok = services.includes('chat-gateway') && joined.length > 0;
    if (!ok) failed = true;
    console.log(`${fn.padEnd(15)} ${ok ? 'OK  ' : 'FAIL'} trace ${result.traceId}: ${spans.length} spans from ${services.join(', ')}; gateway spans under chat.stream: ${joined.map((s) => s.name).join(', ') || 'none'}`);
  }
} finally {
  await browser.close();
  await page.close();
  await stack.stop?.();
}
process.exit(failed ? 1 : 0);
