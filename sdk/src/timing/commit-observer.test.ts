import { describe, expect, it } from 'vitest';
import { createCommitObserver } from './commit-observer.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('commit observer', () => {
  it('reports one commit per mutation batch, none while paused, and again after resume', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const commits: number[] = [];
    const observer = createCommitObserver((at) => commits.push(at));
    observer.observe(target);
    target.append('a');
    target.append('b');
    await settle();
    expect(commits).toHaveLength(1);

    observer.pause();
    target.append('c');
    await settle();
    expect(commits).toHaveLength(1);
    expect(observer.observing).toBe(target);

    observer.resume();
    target.append(document.createElement('p'));
    await settle();
    expect(commits).toHaveLength(2);

    observer.disconnect();
    observer.resume();
    target.append('d');
    await settle();
    expect(commits).toHaveLength(2);
    target.remove();
  });
});

describe('commit observer while paused', () => {
  it('remembers a new target without observing it until resumed', async () => {
    const first = document.createElement('div');
    const second = document.createElement('div');
    document.body.append(first, second);
    const commits: number[] = [];
    const observer = createCommitObserver((at) => commits.push(at));
    observer.observe(first);
    observer.pause();
    observer.observe(second);
    second.append('a');
    await settle();
    expect(commits).toHaveLength(0);
    expect(observer.observing).toBe(second);
    observer.resume();
    first.append('b');
    await settle();
    expect(commits).toHaveLength(0);
    second.append('c');
    await settle();
    expect(commits).toHaveLength(1);
    observer.disconnect();
    first.remove();
    second.remove();
  });
});

describe('commit observer flush', () => {
  it('takes mutations made so far as one commit at the given time, so the callback does not report them again', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const commits: number[] = [];
    const observer = createCommitObserver((at) => commits.push(at));
    observer.flush(1);
    observer.observe(target);
    observer.flush(2);
    target.append('a');
    observer.flush(3);
    await settle();
    expect(commits).toEqual([3]);
    target.append('b');
    await settle();
    expect(commits).toHaveLength(2);
    observer.disconnect();
    target.remove();
  });

  it('tells onTarget of each target it connects to, not of each commit', async () => {
    const first = document.createElement('div');
    const second = document.createElement('div');
    document.body.append(first, second);
    const targets: Node[] = [];
    const observer = createCommitObserver(() => undefined, (target) => targets.push(target));
    observer.observe(first);
    first.append('a');
    await settle();
    first.append('b');
    await settle();
    observer.observe(second);
    expect(targets).toEqual([first, second]);
    observer.disconnect();
    first.remove();
    second.remove();
  });
});
