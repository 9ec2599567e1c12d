#!/usr/bin/env node
// Exercises every fenced code block of docs/guide.md, so the guide cannot drift from the code.
//
// Convention: each fenced block's info string is `<lang> snippet=<id> check=<mode> [options]`.
// A block without `snippet=` or with an unknown `check=` fails. Modes:
//   tsc-browser   TypeScript type-checked with DOM libs against the built @streamtrace/web types
//   tsc-node      TypeScript type-checked for Node (NodeNext) against the built packages
//   run-node      tsc-node, then run for real: compiled, loaded after the snippet named by
//                 `with=<id>` (the guide's tracing setup), exporting to a dev collector started on
//                 port 0. Servers are forced onto a free port (lib/port0.mjs) and must answer
//                 GET /api/chat/stream?traceparent=…&session_id=…&message_id=… with an SSE body, the
//                 trace response headers, a SERVER span joined to that traceparent and a complete
//                 `stream sse` span carrying the ids. `cors=true`: the preflight must allow the
//                 context headers. `expect=log-line`: the script must log a JSON line with trace ids.
//                 `expect=websocket`: a ws client sends the context only in its first frame and the
//                 `stream websocket` span must be a SERVER child of it. `expect=grpc`: the module's
//                 `streamChat` handler is hosted in a real grpc-js server (lib/grpc-driver.mjs), called
//                 with traceparent/baggage metadata (→ SERVER `stream grpc` span in that trace), and its
//                 `outgoingMetadata()` must carry the active span's context. `expect=span`: a library
//                 snippet's exports are called by lib/module-driver.mjs under a remote parent, and the
//                 span it records must match EXPECTED_SPANS in checks/run-node.mjs.
//   yaml-in=<path> YAML parsed and contained (keys and values) in that file of the repository
//   yaml, json    parsed
//   frame         a WebSocket first frame: @streamtrace/node must read its context (source "frame")
//   wire          an HTTP request/response example: header names known, and the request's context
//                 (or the response's trace headers, CORS lists) exactly what @streamtrace/node reads/writes
//   sh            `bash -n`; curl URLs are routes of the dev collector (:4318 or $C) or gateway (:8787);
//                 `npm run x` scripts and `npm install` packages exist
//   script-tag    every data-* attribute is read by sdk/src/script-tag.ts; the src file is built and published
//   names         dotted field/span/event names in the block occur in sdk/src, server/src, demo-backend/src
//   metrics       PromQL metric and label names are in docs/deploy (metric-name contract, alerts.yml)
// Besides the blocks, every inline `code` span of the guide that looks like a field name is checked
// like `names`, every field name the code writes must appear in the guide, and every relative link must reach an existing file (and heading). Needs built packages (`npm run build`). Last line: `N passed, N failed`; exit 1 on failure.
//
//   node test/docs/check-snippets.mjs [--only <id>,<id>|inline-names|links|documented-names] [--guide docs/guide.md]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { extractBlocks, inlineCode } from './lib/blocks.mjs';
import { routeTables, sourceText } from './lib/code-index.mjs';
import { startCollector } from './lib/collector.mjs';
import {
  checkFrame, checkJson, checkMetrics, checkNames, checkScriptTag, checkSh, checkWire, checkYamlIn, namesIn,
} from './checks/static.mjs';
import { typecheck } from './checks/typescript.mjs';
import { runNodeSnippet } from './checks/run-node.mjs';
import { checkLinks } from './checks/links.mjs';

const root = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const guidePath = resolve(root, arg('--guide') ?? 'docs/guide.md');
const only = arg('--only')?.split(',');
const work = join(root, '.tmp/docs-snippets');

const results = [];
const report = (name, problems) => {
  results.push({ name, problems });
  console.log(problems.length === 0 ? `ok   ${name}` : `FAIL ${name}\n${problems.map((p) => `       ${p}`).join('\n')}`);
};

const markdown = readFileSync(guidePath, 'utf8');
const blocks = extractBlocks(markdown).map((b) => ({ ...b, id: b.options['snippet'], check: b.options['check'] }));
const byId = new Map();
for (const b of blocks) {
  const problems = [];
  if (!b.id) problems.push('no snippet=<id> in the info string');
  else if (!/^[a-z0-9-]+$/.test(b.id)) problems.push(`snippet id "${b.id}" must be lower-case letters, digits and dashes`);
  else if (byId.has(b.id)) problems.push(`snippet id "${b.id}" is used twice`);
  else byId.set(b.id, b);
  if (!b.check) problems.push('no check=<mode> in the info string');
  if (problems.length) report(`line ${b.line} (${b.lang})`, problems);
}
const selected = blocks.filter((b) => b.id && byId.get(b.id) === b && b.check && (!only || only.includes(b.id)));

// Snippets are checked against the built packages; a missing build is named once, plainly.
const BUILT = ['sdk/dist/types/index.d.ts', 'sdk/dist/streamtrace.iife.js', 'server/dist/index.d.ts', 'demo-backend/dist/collector/main.js'];
const unbuilt = BUILT.filter((file) => !existsSync(join(root, file)));
if (unbuilt.length) report('built packages present', [`missing ${unbuilt.join(', ')}: run npm run build (or another build is running)`]);

const ctx = {
  root,
  source: sourceText(root),
  routes: routeTables(root),
  node: await import('@streamtrace/node'),
};
const STATIC = {
  json: checkJson,
  frame: checkFrame,
  wire: checkWire,
  sh: checkSh,
  'script-tag': checkScriptTag,
  names: checkNames,
  metrics: checkMetrics,
};

const label = (b) => `${b.id} (${b.check}, guide line ${b.line})`;
const guard = async (fn) => {
  try {
    return await fn();
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
};

// Type-checking runs in the background while the cheap checks go.
const tsBlocks = { browser: selected.filter((b) => b.check === 'tsc-browser'), node: selected.filter((b) => b.check === 'tsc-node' || b.check === 'run-node') };
const typechecks = Object.fromEntries(
  Object.entries(tsBlocks).map(([env, list]) => [env, list.length ? typecheck(list, env, work, root) : Promise.resolve(new Map())]),
);

// Run-node snippets run while tsc works; their type errors are added when tsc is done.
const runBlocks = selected.filter((b) => b.check === 'run-node');
const runs = (async () => {
  const out = new Map();
  if (runBlocks.length === 0) return out;
  let collector;
  try {
    collector = await startCollector(root);
    for (const b of runBlocks) out.set(b.id, await guard(() => runNodeSnippet(b, byId, join(work, 'run'), collector.url)));
  } catch (error) {
    for (const b of runBlocks) if (!out.has(b.id)) out.set(b.id, [String(error)]);
  } finally {
    await collector?.close();
  }
  return out;
})();

for (const b of selected) {
  if (b.check in STATIC) report(label(b), await guard(() => STATIC[b.check](b, ctx)));
  else if (b.check.startsWith('yaml-in=')) report(label(b), await guard(() => checkYamlIn(b, ctx)));
  else if (b.check === 'yaml') report(label(b), await guard(() => (parseYaml(b.code), [])));
  else if (!['tsc-browser', 'tsc-node', 'run-node'].includes(b.check)) report(label(b), [`unknown check "${b.check}"`]);
}

// Recorded by the OpenTelemetry SDK itself (`span.recordException`), not spelled out in our code.
const OTEL_SDK_NAMES = new Set(['exception.type', 'exception.message', 'exception.stacktrace']);

if (!only || only.includes('links')) report('relative links and anchors', checkLinks(guidePath));

// The other direction: every field name the code writes (a quoted dotted name in our namespaces)
// is documented somewhere in the guide.
const NOT_FIELDS = new Map([
  ['streamtrace.internal', 'a Symbol.for() key, not a field'],
  ['gen_ai.client.operation.duration_seconds', 'a Prometheus name quoted in a comment'],
]);
if (!only || only.includes('documented-names')) {
  const written = new Set();
  for (const m of ctx.source.matchAll(/['"`]((?:streamtrace|gen_ai|session|db|http|url|server|error|browser|rpc|network|user_agent|telemetry)\.[a-z0-9_.]*[a-z0-9_])['"`]/g)) written.add(m[1]);
  const undocumented = [...written].filter((name) => !markdown.includes(name) && !NOT_FIELDS.has(name)).sort();
  report(`code field names documented (${written.size} in the code)`, undocumented.map((name) => `${name} is written by the code but not in the guide`));
}

if (!only || only.includes('inline-names')) {
  // An inline span that is a name (or starts with one, as in `name = value`); host names are examples.
  const names = inlineCode(markdown)
    .filter(({ text }) => !/\.(com|org|net|io)\b/.test(text))
    .flatMap(({ text, line }) => namesIn(text).filter((n) => n === text || text.startsWith(`${n} `) || text.startsWith(`${n}=`)).map((name) => ({ name, line })));
  const missing = names.filter(({ name }) => !ctx.source.includes(name) && !OTEL_SDK_NAMES.has(name));
  report(`inline field names (${new Set(names.map((n) => n.name)).size} distinct)`, missing.map(({ name, line }) => `guide line ${line}: ${name} does not occur in the code`));
}

for (const [env, list] of Object.entries(tsBlocks)) {
  const errors = await typechecks[env];
  for (const b of list) if (b.check !== 'run-node') report(label(b), errors.get(b.id) ?? []);
}

const runProblems = await runs;
const nodeErrors = await typechecks.node;
for (const b of runBlocks) report(label(b), [...(nodeErrors.get(b.id) ?? []), ...(runProblems.get(b.id) ?? [])]);
for (const id of only ?? []) if (!['inline-names', 'links', 'documented-names'].includes(id) && !byId.has(id)) report(`--only ${id}`, ['no snippet with that id']);

const failed = results.filter((r) => r.problems.length > 0).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
