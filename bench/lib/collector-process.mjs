// Starts the built dev collector (demo-backend/dist/collector/main.js) as a child process on a free port,
// reads its READY line, and reads its memory: VmRSS/VmHWM from /proc/<pid>/status and, through the
// preloaded collector-memory-probe.mjs, its V8 heap after a full GC.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const COLLECTOR_MAIN = join(here, '../../demo-backend/dist/collector/main.js');
const PROBE = join(here, 'collector-memory-probe.mjs');

export function collectorBuilt() {
  return existsSync(COLLECTOR_MAIN);
}

/** @param {{ args?: string[], env?: Record<string,string>, main?: string }} options `main`: another build of the collector's entry (A/B). */
export async function startCollectorProcess({ args = [], env = {}, main = COLLECTOR_MAIN } = {}) {
  const child = spawn(process.execPath, ['--expose-gc', '--import', PROBE, main, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  // A bench that dies (an uncaught error) must not leave its collector running.
  const killChild = () => child.kill();
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`collector did not print READY in 15 s: ${stderr}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY streamtrace-collector (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}: ${stderr}`));
    });
  });

  const pending = [];
  child.on('message', (m) => {
    if (m?.type === 'memory') pending.shift()?.(m);
  });
  let exited;
  child.on('exit', (code, signal) => {
    exited = `collector exited (code ${code}, signal ${signal}): ${stderr.slice(-2000)}`;
    for (const settle of pending.splice(0)) settle(new Error(exited));
  });
  child.on('error', (error) => {
    exited ??= `collector process error: ${error.message}`;
  });

  return {
    url,
    pid: child.pid,
    /** RSS now and its high-water mark, bytes, from /proc. */
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
      return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
    },
    /** process.memoryUsage() of the collector after a full GC (heapUsed, heapTotal, external, arrayBuffers, rss). */
    memory() {
      return new Promise((resolve, reject) => {
        if (exited) return reject(new Error(exited));
        const timer = setTimeout(() => reject(new Error('no memory answer from the collector')), 30000);
        pending.push((m) => {
          clearTimeout(timer);
          if (m instanceof Error) reject(m);
          else resolve(m);
        });
        child.send('memory', (error) => error && reject(error));
      });
    },
    /** Why the collector stopped, when it did on its own. */
    exitReason: () => exited,
    async health() {
      const res = await fetch(`${url}/api/health`);
      return res.json();
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      });
    },
  };
}
