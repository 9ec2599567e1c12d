import { cosine, createEmbedder } from './embed.js';
import type { Passage } from './chunk.js';

export interface SearchHit {
  id: string;
  score: number;
  title: string;
  text: string;
}

export interface VectorIndex {
  readonly size: number;
  search(query: string, topK: number): SearchHit[];
}

/** Exact cosine search over passages embedded with IDF learnt from the same passages; ties break by id so results are deterministic. */
export function createVectorIndex(passages: readonly Passage[]): VectorIndex {
  const texts = passages.map((passage) => `${passage.title}\n${passage.text}`);
  const embed = createEmbedder(texts);
  const entries = passages.map((passage, i) => ({ passage, vector: embed(texts[i]!) }));
  return {
    size: entries.length,
    search(query, topK) {
      const queryVector = embed(query);
      return entries
        .map(({ passage, vector }) => ({ passage, score: cosine(queryVector, vector) }))
        .sort((a, b) => b.score - a.score || a.passage.id.localeCompare(b.passage.id))
        .slice(0, Math.max(0, topK))
        .map(({ passage, score }) => ({
          id: passage.id,
          score: Math.round(score * 10_000) / 10_000,
          title: passage.title,
          text: passage.text,
        }));
    },
  };
}
