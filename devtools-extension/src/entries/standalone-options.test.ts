import { describe, expect, it } from 'vitest';
import { MAX_STANDALONE_MESSAGES, STANDALONE_DEFAULTS, standaloneOptions } from './standalone-options';

describe('standaloneOptions', () => {
  it('keeps 500 messages and loads 100 when the URL says nothing', () => {
    expect(standaloneOptions('')).toEqual({ maxMessages: 500, backfillLimit: 100 });
    expect(standaloneOptions('?other=1')).toEqual(STANDALONE_DEFAULTS);
  });

  it('keeps and loads 1000 messages for ?messages=1000', () => {
    expect(standaloneOptions('?messages=1000')).toEqual({ maxMessages: 1000, backfillLimit: 1000 });
  });

  it('loads at most the 1000 traces the collector lists, and keeps at most the bound', () => {
    expect(standaloneOptions('?messages=3000')).toEqual({ maxMessages: 3000, backfillLimit: 1000 });
    expect(standaloneOptions('?messages=999999').maxMessages).toBe(MAX_STANDALONE_MESSAGES);
  });

  it('ignores values that are not a positive whole number', () => {
    for (const bad of ['?messages=', '?messages=0', '?messages=-5', '?messages=2.5', '?messages=lots']) {
      expect(standaloneOptions(bad)).toEqual(STANDALONE_DEFAULTS);
    }
  });

  it('opens the trace named by ?trace= (an exemplar link), lower-cased, and ignores anything that is not a trace id', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(standaloneOptions(`?trace=${id.toUpperCase()}`)).toEqual({ ...STANDALONE_DEFAULTS, trace: id });
    expect(standaloneOptions(`?messages=1000&trace=${id}`)).toEqual({ maxMessages: 1000, backfillLimit: 1000, trace: id });
    for (const bad of ['?trace=', '?trace=00000000000000000000000000000000', '?trace=4bf92f3577b34da6', `?trace=${id}z`, '?trace=<script>']) {
      expect(standaloneOptions(bad)).toEqual(STANDALONE_DEFAULTS);
    }
  });
});
