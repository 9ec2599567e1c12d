/** Incoming headers as Node gives them (lower-case names) or as a plain object of any case. */
export type HeaderBag = Record<string, string | string[] | number | undefined>;

/**
 * Reads a header by its lower-case name. Header names are case-insensitive, so names of any case
 * are collected; several matching names count as a repeated header (an array).
 */
export function getHeader(headers: HeaderBag | undefined, name: string): string | string[] | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const exact = headers[name];
  const values: string[] = [];
  if (exact !== undefined) pushValue(values, exact);
  for (const key of Object.keys(headers)) {
    if (key !== name && key.toLowerCase() === name) pushValue(values, headers[key]);
  }
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

function pushValue(out: string[], value: unknown): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') out.push(v);
}
