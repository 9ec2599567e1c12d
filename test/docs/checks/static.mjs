// Checks that need no process of their own: parsing, and matching against the code and configs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { npmScripts, routeExists } from '../lib/code-index.mjs';

/** `a` is contained in `b`: every key of `a` present with a contained value; array items matched anywhere. */
export function deepSubset(a, b) {
  if (Array.isArray(a)) return Array.isArray(b) && a.every((item) => b.some((other) => deepSubset(item, other)));
  if (a !== null && typeof a === 'object') {
    return b !== null && typeof b === 'object' && !Array.isArray(b) && Object.keys(a).every((k) => k in b && deepSubset(a[k], b[k]));
  }
  return String(a) === String(b);
}

export function checkYamlIn(block, ctx) {
  const snippet = parseYaml(block.code);
  const target = parseYaml(readFileSync(join(ctx.root, block.options['check'].slice('yaml-in='.length)), 'utf8'));
  return deepSubset(snippet, target) ? [] : [`not contained in ${block.options['check'].slice(8)} (a key or value differs from the real config)`];
}

export function checkJson(block) {
  JSON.parse(block.code);
  return [];
}

/** A WebSocket first frame: the server package must read its context (source `frame`). */
export function checkFrame(block, ctx) {
  const frame = JSON.parse(block.code);
  const read = ctx.node.extractRequestContext({ headers: {} }, frame);
  const parsed = ctx.node.parseTraceparent(frame.traceparent);
  const problems = [];
  if (read.source !== 'frame') problems.push(`server reads source "${read.source}", not "frame"`);
  if (!parsed) problems.push('traceparent is not valid W3C');
  if (read.sessionId !== frame.session_id) problems.push(`session id read as ${read.sessionId}`);
  if (read.messageId !== frame.message_id) problems.push(`message id read as ${read.messageId}`);
  return problems;
}

const STANDARD_HEADERS = new Set([
  'host', 'origin', 'content-type', 'accept', 'cache-control', 'vary', 'x-accel-buffering',
  'access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers',
  'access-control-expose-headers', 'access-control-max-age',
]);
const list = (value) => value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

/** An HTTP request or response example: header names known, context readable by the real server code. */
export function checkWire(block, ctx) {
  const [first, ...rest] = block.code.trimEnd().split('\n');
  const headers = {};
  const problems = [];
  const known = new Set([...STANDARD_HEADERS, ...list(ctx.node.ALLOW_HEADERS), ...list(ctx.node.EXPOSE_HEADERS)]);
  for (const line of rest) {
    const m = /^([A-Za-z-]+):\s?(.*)$/.exec(line);
    if (!m) {
      problems.push(`not a header line: ${line}`);
      continue;
    }
    const name = m[1].toLowerCase();
    if (!known.has(name)) problems.push(`header ${m[1]} is neither standard nor one the server package reads or sends`);
    headers[name] = m[2];
  }
  const request = /^(GET|POST|OPTIONS) (\S+) HTTP\/1\.1$/.exec(first);
  if (request) {
    const read = ctx.node.extractRequestContext({ headers, url: request[2] });
    const query = new URL(request[2], 'http://x').searchParams;
    const traceparent = headers['traceparent'] ?? query.get('traceparent');
    const parsed = ctx.node.parseTraceparent(traceparent);
    if (!parsed) problems.push('no valid traceparent in the request');
    else if (read.source === 'none') problems.push('the server package reads no context from this request');
    const sessionId = headers['x-session-id'] ?? query.get('session_id');
    const messageId = headers['x-message-id'] ?? query.get('message_id');
    if (read.sessionId !== sessionId) problems.push(`server reads session id ${read.sessionId}, example says ${sessionId}`);
    if (read.messageId !== messageId) problems.push(`server reads message id ${read.messageId}, example says ${messageId}`);
    if (headers['baggage'] && !headers['baggage'].includes(`session.id=${sessionId}`)) problems.push('baggage session.id differs');
    return problems;
  }
  if (!/^HTTP\/1\.1 \d{3} /.test(first)) return [...problems, `first line is neither a request nor a status line: ${first}`];
  if (headers['traceparent'] !== undefined) {
    const parsed = ctx.node.parseTraceparent(headers['traceparent']);
    if (!parsed) problems.push('response traceparent is not valid W3C');
    if (parsed && headers['x-trace-id'] !== parsed.traceId) problems.push('x-trace-id differs from the traceparent trace id');
    const timing = headers['server-timing'];
    if (timing !== undefined && timing !== `traceparent;desc="${headers['traceparent']}"`) problems.push('Server-Timing is not what streamResponseHeaders writes');
  }
  const expose = headers['access-control-expose-headers'];
  if (expose !== undefined && list(expose).join(',') !== list(ctx.node.EXPOSE_HEADERS).join(',')) problems.push(`expose headers differ from EXPOSE_HEADERS (${ctx.node.EXPOSE_HEADERS})`);
  const allow = headers['access-control-allow-headers'];
  if (allow !== undefined) {
    const missing = list(ctx.node.ALLOW_HEADERS).filter((h) => !list(allow).includes(h));
    if (missing.length) problems.push(`allow headers miss ${missing.join(', ')}`);
  }
  return problems;
}

/** Shell: valid bash; curl targets are routes the collector / gateway serve; npm scripts and packages exist. */
export function checkSh(block, ctx) {
  const problems = [];
  try {
    execFileSync('bash', ['-n'], { input: block.code, stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (error) {
    problems.push(`bash -n: ${String(error.stderr).trim()}`);
  }
  const text = block.code.replace(/\\\n/g, ' ');
  for (const m of text.matchAll(/(?:\$C|\$\{C\}|https?:\/\/(?:127\.0\.0\.1|localhost):(\d+))(\/[^\s"'|]*)/g)) {
    const port = m[1] ?? '4318';
    const service = port === '4318' ? 'collector' : port === '8787' ? 'gateway' : undefined;
    const path = m[2].split('?')[0];
    if (!service) problems.push(`unknown service port ${port}`);
    else if (!routeExists(ctx.routes[service], path)) problems.push(`${service} has no route ${path}`);
  }
  const scripts = npmScripts(ctx.root);
  for (const m of text.matchAll(/npm run (\S+)/g)) if (!(m[1] in scripts)) problems.push(`no npm script "${m[1]}"`);
  for (const m of text.matchAll(/npm install ([^\n#]+)/g)) {
    for (const pkg of m[1].trim().split(/\s+/)) {
      if (!existsSync(join(ctx.root, 'node_modules', pkg, 'package.json'))) problems.push(`package ${pkg} does not exist here`);
    }
  }
  return problems;
}

/** The script tag: every data-* attribute is read by the script-tag build, and the file is built. */
export function checkScriptTag(block, ctx) {
  const problems = [];
  const source = readFileSync(join(ctx.root, 'sdk/src/script-tag.ts'), 'utf8');
  for (const m of block.code.matchAll(/\sdata-([a-z-]+)=/g)) {
    const camel = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!source.includes(`data.${camel}`)) problems.push(`data-${m[1]} is not read by sdk/src/script-tag.ts`);
  }
  const src = /src="[^"]*@streamtrace\/web\/([^"]+)"/.exec(block.code);
  if (!src) problems.push('src does not point into @streamtrace/web');
  else if (!existsSync(join(ctx.root, 'sdk', src[1]))) problems.push(`sdk/${src[1]} does not exist (run npm run build -w sdk)`);
  const pkg = JSON.parse(readFileSync(join(ctx.root, 'sdk/package.json'), 'utf8'));
  if (src && !pkg.files.some((f) => src[1].startsWith(f))) problems.push(`${src[1]} is not published (package.json files)`);
  return problems;
}

const NAME = /(?<![\w.-])(?:streamtrace|gen_ai|session|db|http|url|server|error|browser|rpc|network|user_agent|telemetry|service|chat|stream|vector|message|exception)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*/g;

/** Dotted field, event and span names mentioned: each must occur in the source code. */
export function namesIn(text) {
  return [...new Set(text.match(NAME) ?? [])];
}

export function checkNames(block, ctx) {
  return namesIn(block.code).filter((name) => !ctx.source.includes(name)).map((name) => `${name} does not occur in sdk/src, server/src or demo-backend/src`);
}

/** PromQL: every metric is in the deploy metric-name contract (or the alert rules), every label too. */
export function checkMetrics(block, ctx) {
  const contract = readFileSync(join(ctx.root, 'docs/deploy/README.md'), 'utf8') + readFileSync(join(ctx.root, 'docs/deploy/alerts.yml'), 'utf8');
  const problems = [];
  for (const m of block.code.matchAll(/([a-z_:][a-z0-9_:]*)\s*[{[]/g)) {
    const metric = m[1].replace(/_(bucket|sum|count)$/, '');
    if (!contract.includes(metric)) problems.push(`metric ${m[1]} is not in docs/deploy`);
  }
  for (const m of block.code.matchAll(/by \(([^)]*)\)/g)) {
    for (const label of m[1].split(',').map((s) => s.trim())) {
      if (label !== 'le' && !contract.includes(label)) problems.push(`label ${label} is not in docs/deploy`);
    }
  }
  for (const m of block.code.matchAll(/\{([^}]*)\}/g)) {
    for (const pair of m[1].split(',')) {
      const label = pair.split(/[=!~]/)[0].trim();
      if (label && !contract.includes(label)) problems.push(`label ${label} is not in docs/deploy`);
    }
  }
  return problems;
}
