import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import { LISTING_MARKER, listingElement, panelListLimit, splitAtMarker } from './panel-page.js';
import { panelRows } from './panel-rows.js';
import type { PanelRows } from './panel-rows.js';
import type { TraceSummary } from './trace-summary.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

let collector: RunningCollector | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(process.env.TMPDIR ?? '/work/main/.tmp', 'collector-panel-page-'));
});
afterEach(async () => {
  await collector?.close();
  collector = undefined;
  await rm(dir, { recursive: true, force: true });
});

const PAGE = `<!doctype html><title>panel</title><body><div id="app"></div>${LISTING_MARKER}<script>/* early */</script></body>`;

/** The embedded list of a served page, as the page's script reads it. */
function embedded(html: string): { limit: string; body: PanelRows } {
  const match = /<script type="application\/json" id="streamtrace-listing" data-limit="(\d+)">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error(`no embedded list in ${html.slice(0, 200)}`);
  return { limit: match[1]!, body: JSON.parse(match[2]!) };
}

async function panelCollector(page = PAGE): Promise<RunningCollector> {
  const panel = join(dir, 'standalone');
  await mkdir(panel, { recursive: true });
  await writeFile(join(panel, 'index.html'), page);
  return startCollector({ port: 0, panelDir: panel });
}

describe('the panel page with its message list', () => {
  it('carries what GET /api/traces answers for the list size the page asks for (?messages=)', async () => {
    collector = await panelCollector();
    const ids = [hexId(16), hexId(16), hexId(16)];
    for (const [i, traceId] of ids.entries()) expect((await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId, name: `root ${i}`, startMs: 1_700_000_000_000 + i }]))).status).toBe(200);

    const page = await fetch(`${collector.url}/?messages=2`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).not.toContain(LISTING_MARKER);
    expect(html).toContain('<script>/* early */</script>');
    const { limit, body } = embedded(html);
    expect(limit).toBe('2');
    // The list GET /api/traces answers, in its compact form.
    const api = (await (await fetch(`${collector.url}/api/traces?limit=2`)).json()) as { traces: TraceSummary[]; lastEventId: number };
    expect(body).toEqual(panelRows(api.traces, api.lastEventId));
    expect(body.rows.map((row) => row[1])).toEqual(['root 2', 'root 1']);

    expect(embedded(await (await fetch(`${collector.url}/index.html`)).text()).limit).toBe('100');
    const head = await fetch(`${collector.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('keeps span text that looks like markup inside the list (it cannot end the element)', async () => {
    collector = await panelCollector();
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name: '</script><script>alert(1)</script><!--' }]));
    const html = await (await fetch(`${collector.url}/`)).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(embedded(html).body.rows[0]![1]).toBe('</script><script>alert(1)</script><!--');
  });

  it('serves a page without the marker as it is', async () => {
    collector = await panelCollector('<!doctype html><title>older panel</title>');
    expect(await (await fetch(`${collector.url}/`)).text()).toBe('<!doctype html><title>older panel</title>');
  });
});

describe('panel page helpers', () => {
  it('sizes the list by the page\'s rule: ?messages=N up to 1000, else 100', () => {
    const limit = (search: string) => panelListLimit(new URLSearchParams(search));
    expect(limit('')).toBe(100);
    expect(limit('messages=1000')).toBe(1000);
    expect(limit('messages=5000')).toBe(1000);
    expect(limit('messages=7')).toBe(7);
    expect(limit('messages=0')).toBe(100);
    expect(limit('messages=2.5')).toBe(100);
    expect(limit('messages=lots')).toBe(100);
  });

  it('embeds only where the page marks the spot', () => {
    expect(splitAtMarker('<p>no marker</p>')).toBeUndefined();
    expect(splitAtMarker(`a${LISTING_MARKER}b`)).toEqual(['a', 'b']);
    expect(listingElement(5, { note: 'Paris — “quoted” …' })).toBe('<script type="application/json" id="streamtrace-listing" data-limit="5">{"note":"Paris \\u2014 \\u201cquoted\\u201d \\u2026"}</script>');
    expect(listingElement(5, { traces: [], note: '</script>' })).toBe('<script type="application/json" id="streamtrace-listing" data-limit="5">{"traces":[],"note":"\\u003c/script>"}</script>');
  });
});
