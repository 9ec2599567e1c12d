import { USAGE, parseCliArgs } from './cli-args.js';
import { startCollector } from './start.js';
import type { CliResult } from './cli-args.js';

const log = (line: string): void => {
  process.stderr.write(`[streamtrace-collector] ${line}\n`);
};

let parsed: CliResult;
try {
  parsed = parseCliArgs(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

if (parsed.help) {
  process.stdout.write(USAGE);
} else {
  const collector = await startCollector({ ...parsed.options, log }).catch((error: unknown) => {
    log(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  process.stdout.write(`READY streamtrace-collector ${collector.url}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    collector.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
