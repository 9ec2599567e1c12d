/** Instrumentation scope of the spans this package starts. */
export const TRACER_NAME = '@streamtrace/node';
export const TRACER_VERSION = '0.1.0';
