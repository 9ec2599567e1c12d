export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

/** One `chat.completion.chunk` as OpenAI-compatible servers stream it. */
export function contentChunk(identity: CompletionIdentity, content: string, first: boolean): object {
  const delta = first ? { role: 'assistant', content } : { content };
  return { ...base(identity), choices: [{ index: 0, delta, finish_reason: null }] };
}

export function finalChunk(identity: CompletionIdentity, finishReason: string, usage?: Usage): object {
  return {
    ...base(identity),
    choices: [{ index: 0, delta: {}, finish_reason: finishReason }],
    ...(usage ? { usage } : {}),
  };
}

export function completion(identity: CompletionIdentity, content: string, finishReason: string, usage: Usage): object {
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    usage,
  };
}

export function errorBody(message: string, code: string): { error: { message: string; type: string; code: string } } {
  return { error: { message, type: 'server_error', code } };
}

function base(identity: CompletionIdentity): object {
  return { id: identity.id, object: 'chat.completion.chunk', created: identity.created, model: identity.model };
}
