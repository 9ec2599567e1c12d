import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SpawnOptions {
  /** `service.name` expected on the READY line. */
  name: string;
  /** Arguments after `node` (flags and the entry script). */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  readyTimeoutMs: number;
  log?: (line: string) => void;
  /** Further READY names the process prints (any order); the start waits for all of them. */
  alsoReady?: string[];
}

export interface RunningService {
  name: string;
  url: string;
  /** Base URL of every READY line awaited, by name (`name` and `alsoReady`). */
  readyUrls: Record<string, string>;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if the process is still alive after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Last stderr lines kept for the error message of a failed start (bounded). */
const STDERR_LINES = 40;

/** Spawns `node <args>` and resolves once it prints `READY <name> <url>` (and each `alsoReady` line). */
export function spawnService(options: SpawnOptions): Promise<RunningService> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > STDERR_LINES) stderr.shift();
    options.log?.(`[${options.name}] ${line}`);
  });

  return new Promise<RunningService>((resolve, reject) => {
    let ready = false;
    const fail = (reason: string): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const tail = stderr.length > 0 ? `\n--- stderr of ${options.name} ---\n${stderr.join('\n')}` : ' (no stderr output)';
      reject(new Error(`${options.name} did not start: ${reason}${tail}`));
    };
    const timer = setTimeout(() => fail(`no READY line within ${options.readyTimeoutMs} ms`), options.readyTimeoutMs);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? `code ${code}`} before READY`));

    const awaited = [options.name, ...(options.alsoReady ?? [])];
    const readyUrls: Record<string, string> = {};
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^READY (\S+) (\S+)$/.exec(line);
      if (!ready && match && awaited.includes(match[1]!)) {
        readyUrls[match[1]!] = match[2]!;
        if (awaited.some((name) => readyUrls[name] === undefined)) return;
        ready = true;
        clearTimeout(timer);
        const url = readyUrls[options.name]!;
        resolve({ name: options.name, url, readyUrls, child, stop: (graceMs) => stopChild(child, exited, graceMs) });
        return;
      }
      options.log?.(`[${options.name}] ${line}`);
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}
