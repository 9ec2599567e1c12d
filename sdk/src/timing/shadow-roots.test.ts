import { describe, expect, it } from 'vitest';
import { createCommitObserver } from './commit-observer.js';
import { hostedUnder, shadowRootsUnder, trackShadowRoots } from './shadow-roots.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('shadow roots', () => {
  // Runs first: roots made before tracking are found by the module's one scan of the page, at its first search.
  it('finds open roots attached before tracking started, under the target asked about and in the whole document', async () => {
    const target = document.createElement('div');
    const other = document.createElement('div');
    document.body.append(target, other);
    const host = document.createElement('div');
    target.append(host);
    const preRoot = host.attachShadow({ mode: 'open' });
    const ownRoot = target.attachShadow({ mode: 'open' });
    ownRoot.append(document.createElement('slot'));
    const otherRoot = other.appendChild(document.createElement('span')).attachShadow({ mode: 'open' });
    const untrack = trackShadowRoots();

    const commits: number[] = [];
    const observer = createCommitObserver((at) => commits.push(at));
    observer.observe(target);
    preRoot.append('a');
    await settle();
    expect(commits).toHaveLength(1);
    ownRoot.append('b');
    await settle();
    expect(commits).toHaveLength(2);
    otherRoot.append('c');
    await settle();
    expect(commits).toHaveLength(2);

    expect(new Set(shadowRootsUnder(target))).toEqual(new Set([preRoot, ownRoot]));
    expect(shadowRootsUnder(other)).toEqual([otherRoot]);
    const all = shadowRootsUnder(document);
    expect(all).toEqual(expect.arrayContaining([preRoot, ownRoot, otherRoot]));
    expect(new Set(all).size).toBe(all.length);

    observer.disconnect();
    untrack();
    target.remove();
    other.remove();
  });

  it('a commit observer of a target sees mutations inside shadow roots under it, attached before or after it connected', async () => {
    const untrack = trackShadowRoots();
    const nativeName = Element.prototype.attachShadow.name;
    expect(nativeName).toBe('attachShadow');
    const target = document.createElement('div');
    const outside = document.createElement('div');
    document.body.append(target, outside);
    const early = document.createElement('span');
    target.append(early);
    const earlyRoot = early.attachShadow({ mode: 'closed' });

    const commits: number[] = [];
    const observer = createCommitObserver((at) => commits.push(at));
    observer.observe(target);
    earlyRoot.append('a');
    await settle();
    expect(commits).toHaveLength(1);

    // A custom element attaches in its constructor, before the app inserts it.
    const late = document.createElement('span');
    const lateRoot = late.attachShadow({ mode: 'open' });
    target.append(late);
    await settle();
    expect(commits).toHaveLength(2);
    lateRoot.append('b');
    await settle();
    expect(commits).toHaveLength(3);

    const elsewhere = document.createElement('span');
    outside.append(elsewhere);
    const elsewhereRoot = elsewhere.attachShadow({ mode: 'open' });
    await settle();
    elsewhereRoot.append('c');
    await settle();
    expect(commits).toHaveLength(3);

    expect(hostedUnder(lateRoot, target)).toBe(true);
    expect(hostedUnder(elsewhereRoot, target)).toBe(false);
    expect(shadowRootsUnder(document)).toEqual(expect.arrayContaining([earlyRoot, lateRoot, elsewhereRoot]));

    observer.disconnect();
    untrack();
    expect(Element.prototype.attachShadow.name).toBe('attachShadow');
    target.remove();
    outside.remove();
  });
});
