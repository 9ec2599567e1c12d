import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

const encoder = new TextEncoder();

function parse(chunks: Uint8Array[], capture = true): { bytes: number; data: string | undefined }[] {
  const events: { bytes: number; data: string | undefined }[] = [];
  const parser = new SseParser((bytes, data) => events.push({ bytes, data }), capture);
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

const STREAM =
  '\uFEFF: keep-alive comment\n\n' +
  'retry: 1000\n\n' +
  'id: 1\r\nevent: delta\r\ndata: {"type":"delta","text":"héllo 👋"}\r\n\r\n' +
  'id: 2\rdata: line one\rdata:line two\r\r' +
  'data\n\n' +
  'id: 3\n: only a comment and an id\n\n' +
  'datum: not data\n\n' +
  'data: tail without blank line';

describe('SSE parser', () => {
  const whole = parse([encoder.encode(STREAM)]);

  it('dispatches only events with data, following the WHATWG rules', () => {
    expect(whole.map((e) => e.data)).toEqual(['{"type":"delta","text":"héllo 👋"}', 'line one\nline two', '']);
  });

  it('gives the same events for every possible split into two chunks, including inside CRLF and multi-byte characters', () => {
    const bytes = encoder.encode(STREAM);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(parse([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole);
    }
  });

  it('gives the same events when fed one byte at a time', () => {
    const bytes = encoder.encode(STREAM);
    expect(parse(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('counts the same events and bytes without capture, for every split and byte by byte', () => {
    const bytes = encoder.encode(STREAM);
    const counted = parse([bytes], false);
    expect(counted.map((e) => e.bytes)).toEqual(whole.map((e) => e.bytes));
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(parse([bytes.slice(0, cut), bytes.slice(cut)], false)).toEqual(counted);
    }
    expect(parse(Array.from(bytes, (b) => Uint8Array.of(b)), false)).toEqual(counted);
  });

  it('reports the same event sizes in one batch per push as one call per event', () => {
    const bytes = encoder.encode(STREAM.repeat(20));
    const perEvent = parse([bytes], false).map((e) => e.bytes);
    const batches: number[][] = [];
    const parser = new SseParser(() => { throw new Error('per-event handler used'); }, false, (sizes, count) => void batches.push(Array.from(sizes.subarray(0, count))));
    for (let at = 0; at < bytes.length; at += 37) parser.push(bytes.subarray(at, at + 37));
    expect(batches.flat()).toEqual(perEvent);
    expect(batches.length).toBeLessThan(perEvent.length);
  });

  it('counts events without decoding anything unless asked', () => {
    const events = parse([encoder.encode(STREAM)], false);
    expect(events.length).toBe(3);
    expect(events.every((e) => e.data === undefined)).toBe(true);
    expect(events.reduce((n, e) => n + e.bytes, 0)).toBeLessThanOrEqual(encoder.encode(STREAM).length);
  });

  it('counts an LF-only stream (no CR: line ends found with indexOf) like the byte-wise path, for every split', () => {
    const lfOnly = STREAM.replace(/\r\n?/g, '\n') + '\n\n' + 'event: x\ndata: {"a":1}\n\n'.repeat(3);
    const bytes = encoder.encode(lfOnly);
    const captured = parse([bytes]);
    expect(captured.map((e) => e.data)).toEqual(['{"type":"delta","text":"héllo 👋"}', 'line one\nline two', '', 'tail without blank line', '{"a":1}', '{"a":1}', '{"a":1}']);
    const sizes = captured.map((e) => e.bytes);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(parse([bytes.slice(0, cut), bytes.slice(cut)], false).map((e) => e.bytes)).toEqual(sizes);
    }
  });
});
