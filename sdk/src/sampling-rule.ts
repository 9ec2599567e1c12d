/**
 * Opt-in: `init({ samplingRule: remoteSamplingRule(url) })` lets your collector raise or lower the
 * sampling rate during an incident. Its own entry, so an app that does not use it does not bundle it
 * (the script tag has it: `data-sampling-rule-url`).
 */
export { remoteSamplingRule } from './sampling/remote-rule.js';
export type { SamplingRuleSource } from './sampling/remote-rule.js';
