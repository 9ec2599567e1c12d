import { describe, expect, it } from 'vitest';
import { createFetchPost } from './fetch-sender.js';

/** What Chromium dispatches when the page's CSP refuses a request (a plain Event: happy-dom has no SecurityPolicyViolationEvent). */
const violation = (blockedURI: string, disposition: 'enforce' | 'report' = 'enforce'): void => {
  window.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), { blockedURI, disposition, effectiveDirective: 'connect-src' }));
};

function sender(url: string) {
  const requests: string[] = [];
  const post = createFetchPost({
    url,
    headers: {},
    timeoutMs: 5_000,
    fetch: (input) => {
      requests.push(input);
      return Promise.reject(new TypeError('Failed to fetch'));
    },
  });
  return { post, requests };
}
const body = new TextEncoder().encode('{}');

describe('a collector the page’s Content-Security-Policy blocks', () => {
  it('is retried until the browser reports the violation, then dropped without a request', async () => {
    const { post, requests } = sender('https://otel.example.com/v1/traces');
    expect(await post(body)).toMatchObject({ kind: 'retry' });
    violation('https://otel.example.com/v1/traces');
    expect(await post(body)).toEqual({ kind: 'drop', reason: 'CSP' });
    expect(requests).toHaveLength(1);
  });

  it('is dropped at its first refusal when the violation event follows the rejection (as in Chromium)', async () => {
    const requests: string[] = [];
    const post = createFetchPost({
      url: 'https://csp.example.com/v1/traces',
      headers: {},
      timeoutMs: 5_000,
      fetch: (input) => {
        requests.push(input);
        setTimeout(() => violation(input));
        return Promise.reject(new TypeError('Failed to fetch'));
      },
    });
    expect(await post(body)).toMatchObject({ kind: 'drop' });
    expect(await post(body)).toMatchObject({ kind: 'drop' });
    expect(requests).toHaveLength(1);
  });

  it('matches a violation that names only the origin (after a redirect)', async () => {
    const { post } = sender('https://collector.example.com/v1/traces');
    violation('https://collector.example.com');
    expect(await post(body)).toMatchObject({ kind: 'drop' });
  });

  it('keeps sending past a report-only policy, and past violations for other URLs', async () => {
    const { post, requests } = sender('https://telemetry.example.com/v1/traces');
    violation('https://telemetry.example.com/v1/traces', 'report');
    violation('https://cdn.example.com/font.woff2');
    violation('inline');
    expect(await post(body)).toMatchObject({ kind: 'retry' });
    expect(requests).toHaveLength(1);
  });
});
