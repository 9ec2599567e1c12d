import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { contentTypeFor } from './content-types.js';
import { resolveStaticPath } from './resolve-path.js';

/** What the page reads from `GET /config.json` before it initialises the SDK. */
export interface PageConfig {
  gatewayUrl: string;
  collectorUrl: string;
}

export interface WebHandlerOptions {
  /** Folder holding the built page (`index.html`, `assets/`). */
  root: string;
  config: PageConfig;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Static file handler for the demo page: `/config.json`, files under `root`, and the SPA
 * fallback (`index.html`) for extension-less paths so `/?transport=websocket` and deep links work.
 */
export function createWebHandler(options: WebHandlerOptions): Handler {
  const configBody = JSON.stringify(options.config);
  return (req, res) => {
    handle(req, res, options.root, configBody).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${String(error)}`);
      else res.destroy();
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, root: string, configBody: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed', method);
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (pathname === '/config.json') {
    res.setHeader('Cache-Control', 'no-store');
    send(res, 200, 'application/json; charset=utf-8', configBody, method);
    return;
  }
  const filePath = resolveStaticPath(root, pathname);
  if (filePath === undefined) {
    send(res, 400, 'text/plain; charset=utf-8', 'bad path', method);
    return;
  }
  const file = (await isFile(filePath)) ? filePath : await fallback(root, filePath, pathname);
  if (file === undefined) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found', method);
    return;
  }
  const info = await stat(file);
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeFor(file));
  res.setHeader('Content-Length', info.size);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Vite fingerprints everything under assets/; the HTML and other files must be revalidated.
  res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** A directory gets its index.html; an unknown extension-less path gets the app's index.html. */
async function fallback(root: string, filePath: string, pathname: string): Promise<string | undefined> {
  const dirIndex = join(filePath, 'index.html');
  if (await isFile(dirIndex)) return dirIndex;
  if (extname(pathname) !== '') return undefined;
  const appIndex = join(root, 'index.html');
  return (await isFile(appIndex)) ? appIndex : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, method = 'GET'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(method === 'HEAD' ? undefined : body);
}
