// Calls the functions a library-style snippet exports, inside a remote parent context (as a
// gateway request would), after the guide's tracing setup. Prints SNIPPET_DONE for the runner.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { ROOT_CONTEXT, context, defaultTextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

async function* words(list) {
  for (const word of list) {
    await new Promise((r) => setTimeout(r, 5));
    yield word;
  }
}

/** What each snippet's exports are called with. */
const DRIVERS = {
  'custom-stream': (mod) => mod.relay(words(['Hello', ' custom', ' stream']), () => {}, new AbortController().signal),
  'model-span': async (mod) => {
    for await (const text of mod.tracedChat('docs-model', () => words(['Hello', ' model']))) void text;
  },
};

const id = process.env.SNIPPET_ID;
const mod = await import(pathToFileURL(resolve(process.env.SNIPPET_MODULE)).href);
const parent = new W3CTraceContextPropagator().extract(ROOT_CONTEXT, { traceparent: process.env.SNIPPET_TRACEPARENT }, defaultTextMapGetter);
if (!DRIVERS[id]) throw new Error(`no driver for snippet ${id}`);
await context.with(parent, () => DRIVERS[id](mod));
process.stdout.write('SNIPPET_DONE\n');
// Stay alive until the runner's SIGTERM, which the guide's tracing setup answers by flushing.
setInterval(() => {}, 1 << 30);
