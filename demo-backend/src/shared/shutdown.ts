type Task = () => Promise<void>;

const appTasks: Task[] = [];
const telemetryTasks: Task[] = [];
let installed = false;
let stopping = false;

/**
 * Registers cleanup for SIGINT/SIGTERM. App tasks (close servers, end open streams) run first,
 * then telemetry tasks (flush spans those app tasks ended), then the process exits. A second
 * signal, or cleanup slower than `graceMs`, exits at once so a stuck export never hangs it.
 */
export function onShutdown(task: Task, phase: 'app' | 'telemetry' = 'app', graceMs = 4000): void {
  (phase === 'app' ? appTasks : telemetryTasks).push(task);
  if (installed) return;
  installed = true;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    // Deliberately not unref'd: the OTLP exporter unrefs its sockets, so without a live timer
    // the event loop could empty and exit before the final export is sent.
    setTimeout(() => process.exit(1), graceMs);
    runAll(appTasks)
      .then(() => runAll(telemetryTasks))
      .catch((error: unknown) => process.stderr.write(`shutdown after ${signal} failed: ${String(error)}\n`))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

async function runAll(tasks: Task[]): Promise<void> {
  const results = await Promise.allSettled(tasks.map((task) => task()));
  for (const result of results) {
    if (result.status === 'rejected') process.stderr.write(`shutdown task failed: ${String(result.reason)}\n`);
  }
}
