import { resolve, sep } from 'node:path';

/**
 * Maps a request pathname onto a file under `root`, or `undefined` when the path is malformed
 * or would leave `root` (encoded `..`, backslashes, NUL bytes).
 */
export function resolveStaticPath(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (target !== base && !target.startsWith(base + sep)) return undefined;
  return target;
}
