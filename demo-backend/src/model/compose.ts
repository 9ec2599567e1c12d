export interface ChatMessage {
  role: string;
  content: string;
}

interface Source {
  label: string;
  title: string;
  text: string;
}

/** Longest simulated answer, in sentences taken from the sources. */
const MAX_SENTENCES = 4;

/**
 * Writes a plausible, deterministic answer from the conversation: the last user message is
 * the question; numbered passages (`[1] Title: text`, the format the gateway sends in its
 * system message) are the sources. Picks the source sentences sharing the most words with the
 * question and cites them.
 */
export function composeAnswer(messages: readonly ChatMessage[]): string {
  const question = [...messages].reverse().find((m) => m.role === 'user')?.content.trim() ?? '';
  const sources = messages.filter((m) => m.role === 'system').flatMap((m) => parseSources(m.content));
  if (sources.length === 0) {
    return question === ''
      ? 'Ask me something about streaming, tracing or LLM latency and I will answer from the docs.'
      : `I have no retrieved notes for "${truncate(question, 80)}", so I cannot ground an answer. Try asking about streaming, tracing or model latency.`;
  }
  const questionWords = new Set(contentWords(question));
  const ranked = sources
    .flatMap((source, sourceIndex) =>
      sentences(source.text).map((sentence, sentenceIndex) => ({
        source,
        sentence,
        order: sourceIndex * 100 + sentenceIndex,
        overlap: contentWords(sentence).filter((w) => questionWords.has(w)).length,
      })),
    )
    .sort((a, b) => b.overlap - a.overlap || a.order - b.order)
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.order - b.order);
  const cited = [...new Set(ranked.map((r) => r.source.label))];
  const lead = `Here is what the notes on ${ranked[0]!.source.title.toLowerCase()} say.`;
  const body = ranked.map((r) => r.sentence).join(' ');
  return `${lead} ${body} (Sources: ${cited.map((label) => `[${label}]`).join(', ')}.)`;
}

function parseSources(content: string): Source[] {
  const sources: Source[] = [];
  for (const match of content.matchAll(/^\[(\d+)\]\s*([^:\n]+):\s*(.+)$/gm)) {
    sources.push({ label: match[1]!, title: match[2]!.trim(), text: match[3]!.trim() });
  }
  return sources;
}

function sentences(text: string): string[] {
  return (text.match(/[^.!?]+[.!?]+/g) ?? [text]).map((s) => s.trim()).filter((s) => s.length > 0);
}

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]{4,}/g) ?? []);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
