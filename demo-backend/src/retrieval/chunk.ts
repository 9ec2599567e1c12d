export interface Passage {
  id: string;
  title: string;
  text: string;
}

/** Longest passage kept in one piece; longer sections are split at paragraph boundaries. */
const MAX_PASSAGE_CHARS = 900;

/**
 * Splits a markdown document into passages, one per `##` section (longer sections into
 * paragraph groups). Ids are `<doc>#<section-slug>` with `-<n>` for split parts, stable across runs.
 */
export function chunkMarkdown(docId: string, markdown: string): Passage[] {
  const passages: Passage[] = [];
  const sections = markdown.split(/^## +/m).slice(1);
  for (const section of sections) {
    const newline = section.indexOf('\n');
    const title = (newline === -1 ? section : section.slice(0, newline)).trim();
    const body = newline === -1 ? '' : section.slice(newline + 1).trim();
    if (title === '' || body === '') continue;
    const parts = splitParagraphs(body);
    parts.forEach((text, index) => {
      const suffix = parts.length > 1 ? `-${index + 1}` : '';
      passages.push({ id: `${docId}#${slug(title)}${suffix}`, title, text });
    });
  }
  return passages;
}

function splitParagraphs(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (const paragraph of body.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim())) {
    if (paragraph === '') continue;
    if (current !== '' && current.length + paragraph.length + 1 > MAX_PASSAGE_CHARS) {
      parts.push(current);
      current = paragraph;
    } else {
      current = current === '' ? paragraph : `${current} ${paragraph}`;
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
