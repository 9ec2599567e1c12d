/**
 * Requests the standalone page starts from a small script inlined in its HTML, while the panel's
 * modules are still downloading and compiling; the entry's adapter takes each over the first time
 * it asks for the same URL, so the answer is already on its way (or there).
 */
export type EarlyRequests = Map<string, Promise<Response>>;

/** Where the inline script leaves them for the entry module. */
export const EARLY_REQUESTS_KEY = '__streamtraceEarlyRequests';

const JSON_INIT: RequestInit = { headers: { accept: 'application/json' } };

/** Starts a GET (accept JSON) per URL; a failure waits for the taker, without an unhandled rejection. */
export function startEarlyRequests(urls: string[], doFetch: typeof fetch): EarlyRequests {
  const early: EarlyRequests = new Map();
  for (const url of urls) {
    const response = doFetch(url, JSON_INIT);
    response.catch(() => undefined);
    early.set(url, response);
  }
  return early;
}

/**
 * A fetch that answers a plain GET of a URL in `early` with that request, once; everything else
 * (and any later request of the same URL) goes to `doFetch`.
 */
export function fetchWithEarly(early: EarlyRequests | undefined, doFetch: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : undefined;
    const pending = url === undefined || (init?.method ?? 'GET') !== 'GET' || init?.signal ? undefined : early?.get(url);
    if (pending && url !== undefined) {
      early?.delete(url);
      return pending;
    }
    return doFetch(input, init);
  };
}

/** The requests the page's inline script started, taken (later calls find none). */
export function takeEarlyRequests(scope: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): EarlyRequests | undefined {
  const early = scope[EARLY_REQUESTS_KEY];
  delete scope[EARLY_REQUESTS_KEY];
  return early instanceof Map ? (early as EarlyRequests) : undefined;
}
