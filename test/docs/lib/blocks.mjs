// Fenced code blocks of a Markdown file, with their info-string options.

/**
 * Every ``` / ~~~ fenced block: `{ lang, options, code, line }` where `line` is the 1-based line of
 * the opening fence and `options` the `key=value` words after the language.
 */
export function extractBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (lines[j].trimStart().startsWith(fence) && lines[j].trim() === fence[0].repeat(lines[j].trim().length)) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    if (j === lines.length) throw new Error(`line ${i + 1}: fenced block is never closed`);
    const words = info.trim().split(/\s+/).filter(Boolean);
    const options = {};
    for (const word of words.slice(1)) {
      const eq = word.indexOf('=');
      if (eq > 0) options[word.slice(0, eq)] = word.slice(eq + 1);
      else options[word] = 'true';
    }
    blocks.push({ lang: words[0] ?? '', options, code: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** Inline code spans (`like this`) outside fenced blocks, with their line numbers. */
export function inlineCode(markdown) {
  const out = [];
  let inFence = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*(`{3,}|~{3,})/.test(text)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    for (const match of text.matchAll(/`([^`\n]+)`/g)) out.push({ text: match[1], line: index + 1 });
  });
  return out;
}
