// Resident memory of the stack's services, read from /proc (Linux only; empty elsewhere).
import { readFileSync, readdirSync } from 'node:fs';

/** Entry script → service name, as startStack launches them. */
const ENTRIES: Record<string, string> = {
  'collector/main.js': 'streamtrace-collector',
  'gateway/main.js': 'chat-gateway',
  'retrieval/main.js': 'vector-store',
  'model/main.js': 'model-service',
};

export interface ServiceProcess {
  service: string;
  pid: number;
}

/** The stack's node processes: children of this process whose command line names a service entry. */
export function findServiceProcesses(parentPid = process.pid): ServiceProcess[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: ServiceProcess[] = [];
  for (const pid of pids) {
    try {
      // Field 4 of stat is the parent pid; the command name (field 2) may contain spaces, so split after ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parentPid) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const entry = Object.keys(ENTRIES).find((e) => cmdline.some((arg) => arg.endsWith(e)));
      if (entry) found.push({ service: ENTRIES[entry]!, pid: Number(pid) });
    } catch {
      // The process exited between listing and reading: not ours to report.
    }
  }
  return found;
}

/** VmRSS in MiB, or undefined when the process is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
