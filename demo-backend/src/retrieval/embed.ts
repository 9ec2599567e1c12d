/** Vector length of the hashed embedding; small enough to search a few thousand passages exactly. */
export const EMBEDDING_DIMS = 256;

const STOP_WORDS = new Set(
  'a an and are as at be by can for from how in is it its of on or so that the their then this to was what when which who why with does do you your i me my'.split(
    ' ',
  ),
);

/** Lower-case word tokens. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? [];
}

/** Weighted features of a text: content words (1) and their character trigrams (0.5, catches "stream"/"streaming"). */
function features(text: string): Map<string, number> {
  const result = new Map<string, number>();
  const add = (feature: string, weight: number): void => void result.set(feature, (result.get(feature) ?? 0) + weight);
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    add(`w:${word}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`g:${padded.slice(i, i + 3)}`, 0.5);
  }
  return result;
}

export type Embed = (text: string) => Float32Array;

/**
 * Deterministic embedding without a model: features weighted by inverse document frequency
 * over `documents` (rare words count more than ones every passage has), feature-hashed into
 * EMBEDDING_DIMS buckets with a hashed sign, then L2-normalised so a dot product is cosine.
 */
export function createEmbedder(documents: readonly string[]): Embed {
  const documentFrequency = new Map<string, number>();
  for (const document of documents) {
    for (const feature of features(document).keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
  }
  const n = documents.length;
  const idf = (feature: string): number => Math.log((n + 1) / ((documentFrequency.get(feature) ?? 0) + 1)) + 1;
  return (text) => {
    const vector = new Float32Array(EMBEDDING_DIMS);
    for (const [feature, weight] of features(text)) {
      const hash = fnv1a(feature);
      const index = hash % EMBEDDING_DIMS;
      const sign = hash >>> 31 === 0 ? 1 : -1;
      vector[index] = vector[index]! + sign * weight * idf(feature);
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
    return vector;
  };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
