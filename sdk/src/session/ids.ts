import { randomId as hexId } from '../export/tracer.js';

/** 16 random bytes as 32 lower-case hex characters (the tracer's id generator: never all zeros). */
export const randomId = (): string => hexId(16);
