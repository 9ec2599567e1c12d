// Needs the built dist (`npm run build` does it): proves register.js instruments ES-module code.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../collector/start.js';
import type { RunningCollector } from '../collector/start.js';

const REGISTER = fileURLToPath(new URL('../../dist/telemetry/register.js', import.meta.url));

// Named imports of node:http: ES-module bindings that a patch of the CommonJS object alone
// does not reach; register.js must cover them (ESM hook + syncBuiltinESMExports).
const APP = `
import { createServer, request } from 'node:http';
const server = createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  const req = request({ host: '127.0.0.1', port: server.address().port, path: '/probe' }, (res) => {
    res.resume();
    res.on('end', () => { server.close(); process.kill(process.pid, 'SIGTERM'); });
  });
  req.end();
});
setTimeout(() => {}, 10_000);
`;

let collector: RunningCollector;
let dir: string;

beforeAll(async () => {
  collector = await startCollector({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'register-'));
});
afterAll(async () => {
  await collector?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('telemetry/register.js', () => {
  it('traces node:http server and client calls of an ES module and flushes on SIGTERM', async () => {
    const app = join(dir, 'app.mjs');
    await writeFile(app, APP);
    const child = spawn(process.execPath, ['--import', REGISTER, app], {
      env: { ...process.env, OTEL_SERVICE_NAME: 'esm-probe', OTLP_ENDPOINT: collector.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    // The spans were exported during shutdown, before the process exited.
    const list = (await (await fetch(`${collector.url}/api/traces?service=esm-probe`)).json()) as { traces: { traceId: string }[] };
    expect(list.traces).toHaveLength(1);
    const trace = (await (await fetch(`${collector.url}/api/v3/traces/${list.traces[0]!.traceId}`)).json()) as {
      result: { resourceSpans: { scopeSpans: { spans: { kind: number; spanId: string; parentSpanId?: string }[] }[] }[] };
    };
    const spans = trace.result.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    const client = spans.find((s) => s.kind === 3);
    const server = spans.find((s) => s.kind === 2);
    expect(client).toBeDefined();
    expect(server?.parentSpanId).toBe(client?.spanId);
  });
});
