// Preloaded into the collector child by the bench (`node --expose-gc --import <this> main.js`): answers
// `'memory'` on the IPC channel with the process's own memoryUsage() after a full GC, since the collector
// has no endpoint that reports it. The channel is unref'd so it never keeps the collector alive.
process.channel?.unref();
process.on('message', (message) => {
  if (message !== 'memory') return;
  globalThis.gc?.();
  process.send?.({ type: 'memory', ...process.memoryUsage() });
});
