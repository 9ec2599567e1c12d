// Reads a V8 CPU profile (CDP Profiler.stop): self time per script URL and per function.
// Share = self time of samples in the SDK's own files / all non-idle sampled time (docs: measuring.md).

/**
 * Self time (µs) of every profile node, from the sample timeline. `maxSampleUs` caps what one sample
 * counts for: on a loaded machine a sample after the renderer was descheduled spans milliseconds
 * that no function spent, and lands on whatever ran last (noise, not cost).
 */
export function selfTimes(profile, maxSampleUs = Infinity, window = undefined) {
  const self = new Map();
  const { samples, timeDeltas, endTime } = profile;
  let t = profile.startTime;
  const stamps = timeDeltas.map((d) => (t += d));
  // `window`: [from, to] in µs after the profile's start; only sample time inside it counts.
  const from = window === undefined ? -Infinity : profile.startTime + window[0];
  const to = window === undefined ? Infinity : profile.startTime + window[1];
  for (let i = 0; i < samples.length; i++) {
    const next = i + 1 < samples.length ? stamps[i + 1] : endTime;
    const end = Math.min(to, stamps[i] + Math.min(maxSampleUs, Math.max(0, next - stamps[i])));
    const duration = Math.max(0, end - Math.max(from, stamps[i]));
    if (duration > 0) self.set(samples[i], (self.get(samples[i]) ?? 0) + duration);
  }
  return self;
}

/**
 * @param {object} profile CDP Profiler.Profile
 * @param {(url: string) => boolean} isSdk
 * @param {{ maxSampleUs?: number, window?: [number, number] }} [options] `window`: µs after the profile's start
 */
export function summarize(profile, isSdk, { maxSampleUs = Infinity, window = undefined } = {}) {
  const self = selfTimes(profile, maxSampleUs, window);
  let totalUs = 0;
  let idleUs = 0;
  let programUs = 0;
  let gcUs = 0;
  let sdkUs = 0;
  const functions = new Map();
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (functionName === '(idle)') idleUs += us;
    else if (functionName === '(program)') programUs += us;
    else if (functionName === '(garbage collector)') gcUs += us;
    if (url && isSdk(url)) {
      sdkUs += us;
      const key = `${url}:${lineNumber}:${columnNumber}:${functionName}`;
      const entry = functions.get(key) ?? { functionName, url, lineNumber, columnNumber, selfUs: 0, callers: new Map() };
      entry.selfUs += us;
      const parent = parents.get(node.id)?.callFrame;
      if (parent !== undefined) {
        const callerKey = `${parent.url}:${parent.lineNumber}:${parent.columnNumber}:${parent.functionName}`;
        const caller = entry.callers.get(callerKey) ?? { ...parent, selfUs: 0 };
        caller.selfUs += us;
        entry.callers.set(callerKey, caller);
      }
      functions.set(key, entry);
    }
  }
  const busyUs = totalUs - idleUs;
  return { totalUs, idleUs, busyUs, programUs, gcUs, sdkUs, share: busyUs > 0 ? sdkUs / busyUs : 0, functions: [...functions.values()] };
}
