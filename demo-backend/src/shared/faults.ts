/** Faults the demo can inject per chat message (docs/architecture.md, "Wire: gateway chat API"). */
export const FAULTS = ['slow-retrieval', 'model-error', 'midstream-error', 'stall'] as const;
export type Fault = (typeof FAULTS)[number];

export function parseFault(value: unknown): Fault | undefined {
  return typeof value === 'string' && (FAULTS as readonly string[]).includes(value) ? (value as Fault) : undefined;
}
