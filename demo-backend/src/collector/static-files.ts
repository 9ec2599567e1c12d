import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeFor } from '../shared/content-types.js';

/** `dist/standalone` of the installed `@streamtrace/devtools` package, if the package resolves. */
export function defaultPanelDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@streamtrace/devtools/package.json');
    return join(dirname(pkg), 'dist', 'standalone');
  } catch {
    return undefined;
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Serves a file below `root` for a GET/HEAD path. Decoded paths that leave `root` are refused;
 * a missing build answers 503 explaining how to produce it.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string | undefined, pathname: string): Promise<void> {
  const notBuilt = 'The panel UI is not built. Run `npm run build` (it builds @streamtrace/devtools dist/standalone), then reload.\n';
  if (!root) return sendText(res, 503, notBuilt);
  const base = resolve(root);
  const rootInfo = await stat(base).catch(() => undefined);
  if (!rootInfo?.isDirectory()) return sendText(res, 503, notBuilt);

  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendText(res, 400, 'Bad path\n');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return sendText(res, 400, 'Bad path\n');
  let file = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (file !== base && !file.startsWith(base + sep)) return sendText(res, 403, 'Forbidden\n');

  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) {
    if (pathname === '/' || pathname === '/index.html') return sendText(res, 503, notBuilt);
    return sendText(res, 404, 'Not found\n');
  }
  // A symlink inside the folder must not lead outside it either.
  const [realBase, realFile] = await Promise.all([realpath(base), realpath(file)]);
  if (!realFile.startsWith(realBase + sep)) return sendText(res, 403, 'Forbidden\n');

  res.writeHead(200, {
    'content-type': contentTypeFor(file),
    'content-length': info.size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
