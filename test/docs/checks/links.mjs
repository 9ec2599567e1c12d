// Relative links of a Markdown file: the target file exists, and a `#fragment` names a heading there.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** GitHub's heading anchor: lower case, punctuation dropped (except `-` and `_`), spaces → `-`. */
export function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchors(markdown) {
  let inFence = false;
  const out = new Set();
  for (const line of markdown.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const m = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (m) out.add(slug(m[1].replace(/`/g, '')));
  }
  return out;
}

export function checkLinks(markdownPath) {
  const markdown = readFileSync(markdownPath, 'utf8');
  const problems = [];
  let inFence = false;
  markdown.split('\n').forEach((line, index) => {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) return;
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/.test(target)) continue;
      const [file, fragment] = target.split('#');
      const path = file ? resolve(dirname(markdownPath), file) : markdownPath;
      if (!existsSync(path)) problems.push(`line ${index + 1}: ${target}: no such file`);
      else if (fragment && path.endsWith('.md') && !anchors(readFileSync(path, 'utf8')).has(fragment)) {
        problems.push(`line ${index + 1}: ${target}: no heading with that anchor`);
      }
    }
  });
  return problems;
}
