import { DiagLogLevel, context, diag, trace, type DiagLogger } from '@opentelemetry/api';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The published ESM build (`npm run build` first; `npm test` does) carries src/api-lite.ts instead of
// importing `@opentelemetry/api`: this checks that an app's own copy of the API still shares one
// context and one diag logger with it, through the API's global registry.
const dist = join(import.meta.dirname, '../dist');
const built = existsSync(join(dist, 'index.js'));

describe.runIf(built)('the built ESM package next to the app’s own @opentelemetry/api', async () => {
  const { init } = (await import(/* @vite-ignore */ join(dist, 'index.js'))) as typeof import('./index.js');
  const { enableZoneContext } = (await import(/* @vite-ignore */ join(dist, 'zone.js'))) as typeof import('./zone.js');
  const warnings: unknown[][] = [];
  const logger: DiagLogger = { error: () => {}, warn: (...args) => void warnings.push(args), info: () => {}, debug: () => {}, verbose: () => {} };
  diag.setLogger(logger, DiagLogLevel.WARN);
  const st = init({
    serviceName: 'esm-build',
    endpoint: 'http://127.0.0.1:9/v1/traces',
    sampleRate: 1,
    pageHealth: false,
    redactAttribute: (key) => {
      if (key === 'gen_ai.conversation.id') throw new Error('app hook failed');
      return undefined;
    },
  });
  afterAll(async () => {
    await st.shutdown();
    context.disable();
    diag.disable();
  });

  it('does not import @opentelemetry/api at run time (only the opt-in zone entry does)', () => {
    const files = readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'zone.js' && f !== 'streamtrace.iife.js');
    expect(files).toContain('index.js');
    for (const f of files) expect(readFileSync(join(dist, f), 'utf8')).not.toMatch(/from\s*["']@opentelemetry\/api["']/);
  });

  it('a message context entered through the app’s API is the active span for the app and for the SDK', async () => {
    expect(enableZoneContext()).toBe(true);
    const first = st.startMessage({ conversationId: 'a' });
    const second = st.startMessage({ conversationId: 'b' });
    const seen = await context.with(first.context, () =>
      new Promise<[string | undefined, string | undefined]>((resolve) =>
        setTimeout(() => resolve([trace.getActiveSpan()?.spanContext().traceId, st.currentMessage()?.traceId]), 5),
      ),
    );
    expect(seen).toEqual([first.traceId, first.traceId]);
    expect(trace.getSpan(second.context)?.spanContext().traceId).toBe(second.traceId);
    first.end();
    second.end();
  });

  it('the SDK’s diagnostics reach the diag logger the app registered', async () => {
    const message = st.startMessage({ conversationId: 'c' });
    message.end();
    await st.flush();
    expect(warnings).toContainEqual(['streamtrace', 'redactAttribute threw for gen_ai.conversation.id; attribute removed', expect.any(Error)]);
  });
});
