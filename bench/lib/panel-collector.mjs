// The real dev collector (demo-backend/dist/collector/main.js) on a free port, serving a given
// panel build at `/`, and a way to post OTLP JSON bodies to it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoDir } from './sdks.mjs';

export const collectorMain = join(repoDir, 'demo-backend/dist/collector/main.js');
export const panelBuildDir = join(repoDir, 'devtools-extension/dist/standalone');

/** @returns {Promise<{ url: string, close(): Promise<void> }>} */
export async function startCollector(panelDir) {
  if (!existsSync(collectorMain)) throw new Error(`${collectorMain} is missing: run \`npm run build -w demo-backend\``);
  if (!existsSync(join(panelDir, 'index.html'))) throw new Error(`${panelDir} has no panel build: run \`npm run build -w devtools-extension\``);
  const child = spawn(process.execPath, [collectorMain, '--panel-dir', panelDir], {
    env: { ...process.env, COLLECTOR_PORT: '0', COLLECTOR_MAX_SPANS: '200000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data) => {
      out += data.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(line.split(' ')[2].trim());
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
  child.stdout.resume();
  return {
    url,
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Posts each body to /v1/traces in order, as an exporter would; throws on any non-200. */
export async function postBodies(url, bodies) {
  for (const body of bodies) {
    const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (!response.ok) throw new Error(`POST /v1/traces: HTTP ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  }
}
