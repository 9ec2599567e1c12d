// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Metric } from 'web-vitals';
import { attributionAttributes, selector } from './attribution.js';

const metric = (name: Metric['name'], value: number, entries: unknown[]): Metric =>
  ({ name, value, entries, delta: value, id: 'v5-1', rating: 'good', navigationType: 'navigate' }) as unknown as Metric;

describe('web-vitals attribution', () => {
  it('builds web-vitals selectors: up to the nearest id, classes sorted, at most 100 characters', () => {
    document.body.innerHTML = '<main id="chat"><div class="msg answer"><p class="z a">hi</p></div></main><section><b></b></section>';
    expect(selector(document.querySelector('p'))).toBe('#chat>div.answer.msg>p.a.z');
    expect(selector(document.querySelector('b'))).toBe('html>body>section>b');
    const deep = document.createElement('span');
    deep.className = 'x'.repeat(120);
    document.body.append(deep);
    expect(selector(deep)).toBe(`span.${'x'.repeat(120)}`);
    expect(selector(null)).toBeUndefined();
  });

  it('INP: target and interaction type of the interaction, its input delay, processing and presentation delay', () => {
    document.body.innerHTML = '<button id="send">Send</button>';
    const target = document.getElementById('send');
    const entries = [
      { name: 'pointerdown', startTime: 100, processingStart: 130, processingEnd: 150, duration: 96, target: null },
      { name: 'click', startTime: 110, processingStart: 150, processingEnd: 180, duration: 88, target },
    ];
    expect(attributionAttributes(metric('INP', 96, entries))).toEqual({
      'browser.web_vital.attribution.target': '#send',
      'browser.web_vital.attribution.interaction_type': 'pointer',
      'browser.web_vital.attribution.input_delay_ms': 30,
      'browser.web_vital.attribution.processing_ms': 50,
      'browser.web_vital.attribution.presentation_delay_ms': 18,
    });
    expect(attributionAttributes(metric('INP', 50, [{ ...entries[0], name: 'keydown', targetSelector: 'textarea#q' }]))).toMatchObject({
      'browser.web_vital.attribution.target': 'textarea#q',
      'browser.web_vital.attribution.interaction_type': 'keyboard',
    });
  });

  it('CLS: the element of the largest shift; TTFB: waiting and request parts', () => {
    document.body.innerHTML = '<p id="moved"></p>';
    const shifts = [
      { value: 0.01, sources: [{ node: document.body }] },
      { value: 0.2, sources: [{ node: document.createTextNode('t') }, { node: document.getElementById('moved') }] },
    ];
    expect(attributionAttributes(metric('CLS', 0.21, shifts))).toEqual({ 'browser.web_vital.attribution.target': '#moved' });
    const nav = { workerStart: 0, fetchStart: 5.5, connectEnd: 40, responseStart: 80 };
    expect(attributionAttributes(metric('TTFB', 80, [nav]))).toEqual({
      'browser.web_vital.attribution.waiting_ms': 5.5,
      'browser.web_vital.attribution.request_ms': 40,
    });
  });
});
