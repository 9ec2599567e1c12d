import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkMarkdown } from './chunk.js';
import type { Passage } from './chunk.js';

/** `demo-backend/corpus`, found from both `src/retrieval` and `dist/retrieval`. */
export const DEFAULT_CORPUS_DIR = fileURLToPath(new URL('../../corpus/', import.meta.url));

/** Reads every `.md` file of `dir` (sorted, so ids and ties are stable) into passages. */
export async function loadCorpus(dir: string = DEFAULT_CORPUS_DIR): Promise<Passage[]> {
  const files = (await readdir(dir)).filter((name) => extname(name) === '.md').sort();
  const passages: Passage[] = [];
  for (const file of files) {
    const markdown = await readFile(join(dir, file), 'utf8');
    passages.push(...chunkMarkdown(basename(file, '.md'), markdown));
  }
  return passages;
}
