/** Query parameters of a request target (`/path?x=1`), empty when there are none. Never throws. */
export function queryParams(url: unknown): URLSearchParams {
  if (typeof url !== 'string') return new URLSearchParams();
  const start = url.indexOf('?');
  if (start === -1) return new URLSearchParams();
  const hash = url.indexOf('#', start);
  return new URLSearchParams(url.slice(start + 1, hash === -1 ? undefined : hash));
}

/** One query parameter: a string, an array when repeated, or undefined. */
export function getParam(params: URLSearchParams, name: string): string | string[] | undefined {
  const all = params.getAll(name);
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : all;
}
