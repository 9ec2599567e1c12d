/** Vector length of the hashed embedding; small enough to search a few thousand passages exactly. */
export const EMBEDDING_DIMS = 256;

/** Lower-case word tokens; shared with the answer composer so both agree on what a word is. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? [];
}

const STOP_WORDS = new Set(
  'a an and are as at be by can for from how in is it its of on or so that the their then this to was what when which who why with does do you your i me my'.split(
    ' ',
  ),
);

/**
 * Deterministic embedding without a model: feature hashing of words (weight 1) and character
 * trigrams of each word (weight 0.5, catches shared stems such as "stream"/"streaming") into
 * EMBEDDING_DIMS buckets with a hashed sign, then L2 normalisation so a dot product is cosine.
 */
export function embed(text: string): Float32Array {
  const vector = new Float32Array(EMBEDDING_DIMS);
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    addFeature(vector, `w:${word}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) addFeature(vector, `g:${padded.slice(i, i + 3)}`, 0.5);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  const index = hash % EMBEDDING_DIMS;
  const sign = (hash >>> 31) === 0 ? 1 : -1;
  vector[index] = vector[index]! + sign * weight;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
