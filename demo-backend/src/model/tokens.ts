/**
 * Splits text into the pieces the simulated model streams: words with their leading space,
 * long words cut into sub-words of at most 6 letters, punctuation on its own. Joining the
 * pieces gives back the text exactly.
 */
export function splitTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/\s*[A-Za-z0-9]+|\s*[^\sA-Za-z0-9]|\s+$/g)) {
    const piece = match[0];
    const lead = /^\s*/.exec(piece)![0];
    const word = piece.slice(lead.length);
    if (/^[A-Za-z0-9]{9,}$/.test(word)) {
      for (let i = 0; i < word.length; i += 6) tokens.push((i === 0 ? lead : '') + word.slice(i, i + 6));
    } else {
      tokens.push(piece);
    }
  }
  return tokens;
}

/** Token count used for `usage`: the same splitting applied to prompt text. */
export function countTokens(text: string): number {
  return splitTokens(text).length;
}
