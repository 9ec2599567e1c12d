// What the code actually contains: source text (for field names), route tables, npm scripts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_DIRS = ['sdk/src', 'server/src', 'demo-backend/src'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.tsx?$/.test(name) && !/\.test(-helpers)?\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

/** Concatenated non-test TypeScript of the SDK, the server package and the demo backend. */
export function sourceText(root) {
  const files = SOURCE_DIRS.flatMap((dir) => walk(join(root, dir), []));
  return files.map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** Literal paths (`path === '/x'`) and anchored regex routes (`/^\/x\/([^/]+)$/`) of a router file. */
function routesOf(file) {
  const text = readFileSync(file, 'utf8');
  const routes = [];
  for (const m of text.matchAll(/path === '(\/[^']*)'/g)) routes.push({ literal: m[1] });
  for (const m of text.matchAll(/\/(\^\\\/[^\n]*?\$)\//g)) routes.push({ regex: new RegExp(m[1]) });
  for (const m of text.matchAll(/export const \w+_PATH = '(\/[^']*)'/g)) routes.push({ literal: m[1] });
  return routes;
}

/** Route tables by service: the dev collector's router and the demo gateway's. */
export function routeTables(root) {
  return {
    collector: routesOf(join(root, 'demo-backend/src/collector/router.ts')),
    gateway: [
      ...routesOf(join(root, 'demo-backend/src/gateway/server.ts')),
      ...routesOf(join(root, 'demo-backend/src/gateway/ws-route.ts')),
    ],
  };
}

export function routeExists(routes, path) {
  return routes.some((r) => (r.literal !== undefined ? r.literal === path : r.regex.test(path)));
}

export function npmScripts(root) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
}
