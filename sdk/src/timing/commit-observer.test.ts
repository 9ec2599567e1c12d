import { describe, expect, it, vi } from 'vitest';
import { CommitObserver } from './commit-observer.js';
import { FrameScheduler } from './frame-scheduler.js';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('commit observer', () => {
  it('reports one commit per mutation batch, none while paused, and again after resume', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const commits: number[] = [];
    const observer = new CommitObserver((at) => commits.push(at));
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
    const observer = new CommitObserver((at) => commits.push(at));
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
    const observer = new CommitObserver((at) => commits.push(at));
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
});

describe('commit observer resting until the next frame', () => {
  it('after a chunk rendered in its own task, stops watching and takes the frame’s later chunks as committed at arrival; watches again from the next frame', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    try {
      const scheduler = new FrameScheduler(() => {});
      const target = document.createElement('div');
      document.body.append(target);
      const commits: number[] = [];
      const waiter = { queuedForFrame: false, beforeFrame: () => {}, painted: () => {} };
      const observer = new CommitObserver((at) => {
        commits.push(at);
        scheduler.request(waiter); // as a stream's timeline does: the commit asks for a paint
      });
      observer.observe(target);
      target.append('a'); // the app's listener renders chunk 1
      observer.flush(10);
      expect(commits).toEqual([10]);
      expect(observer.resting).toBe(true);
      // Chunk 2 of the same frame: committed at its arrival without looking; its DOM change is not watched.
      target.append('b');
      observer.flush(11);
      await settle();
      expect(commits).toEqual([10, 11]);
      // A change made outside any chunk while resting is not reported.
      target.append('x');
      await settle();
      expect(commits).toEqual([10, 11]);

      expect(frames).toHaveLength(1);
      (frames.shift() as FrameRequestCallback)(0);
      expect(observer.resting).toBe(false);
      // From this frame on, a chunk whose listener renders nothing is not committed...
      observer.flush(20);
      expect(commits).toEqual([10, 11]);
      // ...and a render in a later task (React-style batching) is seen by the callback, at its own time.
      target.append('c');
      await settle();
      expect(commits).toHaveLength(3);
      expect(commits[2] as number).toBeGreaterThan(20);
      expect(observer.resting).toBe(false);
      for (const frame of frames.splice(0)) frame(1);
      observer.disconnect();
      target.remove();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('does not rest when no frame is coming (nothing would wake it)', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const commits: number[] = [];
    const observer = new CommitObserver((at) => commits.push(at));
    observer.observe(target);
    target.append('a');
    observer.flush(5);
    expect(observer.resting).toBe(false);
    target.append('b');
    await settle();
    expect(commits).toHaveLength(2);
    observer.disconnect();
    target.remove();
  });
});
