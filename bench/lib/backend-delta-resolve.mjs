// Module resolve hook for backend-delta-hook.mjs (runs on the loader thread).
const WRAPPER = new URL('./backend-delta-wrap.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === '@streamtrace/node' && context.parentURL !== WRAPPER) return { url: WRAPPER, shortCircuit: true };
  return next(specifier, context);
}
