// A real Prometheus (the Debian `prometheus` package, which also ships promtool; CI installs it)
// scrapes the collector: proves the OpenMetrics answer, exemplar storage and the job label.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../fixtures.test-helpers.js';
import { messageTrace } from '../messages/message-trace.test-helpers.js';
import { startCollector } from '../start.js';
import type { ChildProcess } from 'node:child_process';
import type { RunningCollector } from '../start.js';

let collector: RunningCollector | undefined;
let prometheus: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await collector?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  prometheus = undefined;
  collector = undefined;
  dir = undefined;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

interface Exemplars {
  data: Array<{ seriesLabels: Record<string, string>; exemplars: Array<{ labels: Record<string, string>; value: string }> }>;
}
interface Query {
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

describe('Prometheus scraping /metrics', () => {
  it('scrapes OpenMetrics and stores the exemplar that links the TTFT bucket to its trace', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const now = Date.now();
    const trace = messageTrace({ ttftVisibleMs: 640, startMs: now - 2000 });
    await postJson(`${collector.url}/v1/traces`, trace.body);

    dir = await mkdtemp(join(process.env.TMPDIR ?? '/work/main/.tmp', 'prometheus-'));
    const config = [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: dev-collector',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ["${new URL(collector.url).host}"]`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'prometheus.yml'), config);
    const port = await freePort();
    prometheus = spawn(
      '/usr/bin/prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=exemplar-storage'],
      { stdio: 'ignore' },
    );
    const api = `http://127.0.0.1:${port}/api/v1`;

    let exemplars: Exemplars['data'] = [];
    let count: Query['data']['result'] = [];
    for (let attempt = 0; attempt < 80 && (exemplars.length === 0 || count.length === 0); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      count = (await getJson<Query>(`${api}/query?query=streamtrace_ttft_visible_seconds_count`))?.data.result ?? [];
      const range = `start=${(now - 600_000) / 1000}&end=${(Date.now() + 60_000) / 1000}`;
      exemplars = (await getJson<Exemplars>(`${api}/query_exemplars?query=streamtrace_ttft_visible_seconds_bucket&${range}`))?.data ?? [];
    }
    const targets = await getJson<{ data: { activeTargets: Array<{ health: string; lastError: string }> } }>(`${api}/targets`);
    expect(targets?.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
    // honor_labels keeps the job the collector derived from service.name, as with the production exporter.
    expect(count).toEqual([expect.objectContaining({ metric: expect.objectContaining({ job: 'browser' }), value: [expect.any(Number), '1'] })]);
    expect(exemplars).toEqual([
      {
        seriesLabels: expect.objectContaining({ __name__: 'streamtrace_ttft_visible_seconds_bucket', job: 'browser', le: '0.75' }),
        exemplars: [expect.objectContaining({ labels: { trace_id: trace.traceId, span_id: trace.spanIds.message }, value: '0.64' })],
      },
    ]);
  }, 60_000);
});
