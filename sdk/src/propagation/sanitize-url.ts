/** Query parameters whose values are dropped from recorded URLs (compared case-insensitively). */
const SECRET_PARAMS = new Set([
  'api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'refresh_token', 'id_token', 'auth',
  'authorization', 'password', 'passwd', 'pwd', 'secret', 'client_secret', 'sig', 'signature',
  'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'session_token', 'code',
]);

/** Our own context parameters: they describe the trace itself, so recording them adds nothing. */
export const CONTEXT_PARAMS = ['traceparent', 'tracestate', 'session_id', 'message_id'] as const;
const OWN_PARAMS = new Set<string>(CONTEXT_PARAMS);

/** `url.full` for a span: no credentials, no secret query values, no context parameters. */
export function sanitizeUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  // Each name once, from a snapshot: the loop changes the parameters.
  for (const key of new Set(copy.searchParams.keys())) {
    const lower = key.toLowerCase();
    if (OWN_PARAMS.has(lower)) copy.searchParams.delete(key);
    else if (SECRET_PARAMS.has(lower)) copy.searchParams.set(key, 'REDACTED');
  }
  return copy.href;
}
