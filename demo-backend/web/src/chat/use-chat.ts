import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { openChatStream } from '../transports/open-stream.js';
import type { StreamHandle } from '../transports/types.js';
import type { Settings } from '../settings.js';
import type { ChatEvent } from '../wire.js';
import type { MessageHandle, Streamtrace, Turn } from './types.js';

interface Live {
  message: MessageHandle;
  stream?: StreamHandle;
}

export interface Chat {
  turns: Turn[];
  busy: boolean;
  send(question: string): void;
  stop(): void;
  regenerate(): void;
  feedback(turnId: string, value: 'up' | 'down'): void;
  /** Ref callback for an assistant bubble: the SDK measures chunk paint inside it. */
  renderTarget(turnId: string, element: Element | null): void;
}

export function useChat(st: Streamtrace, gatewayUrl: string, conversationId: string, settings: Settings): Chat {
  const [turns, setTurns] = useState<Turn[]>([]);
  // SDK handles and open connections live outside state: they are not rendered.
  const live = useRef(new Map<string, Live>());
  const turnsRef = useRef(turns);
  turnsRef.current = turns;

  const update = useCallback((id: string, change: (turn: Turn) => Partial<Turn>) => {
    setTurns((all) => all.map((turn) => (turn.id === id ? { ...turn, ...change(turn) } : turn)));
  }, []);

  const run = useCallback(
    (message: MessageHandle, question: string, regenerated: boolean) => {
      const id = message.id;
      const startedAt = performance.now();
      const turn: Turn = {
        id,
        traceId: message.traceId,
        question,
        answer: '',
        status: 'streaming',
        transport: settings.transport,
        fault: settings.fault,
        chunks: 0,
        startedAt,
        regenerated,
      };
      setTurns((all) => [...all, turn]);
      const entry: Live = { message };
      live.current.set(id, entry);

      const onEvent = (event: ChatEvent): void => {
        const elapsed = Math.round(performance.now() - startedAt);
        switch (event.type) {
          case 'start':
            update(id, (t) => ({ chunks: t.chunks + 1, serverTraceId: event.traceId, model: event.model }));
            break;
          case 'delta':
            update(id, (t) => ({
              chunks: t.chunks + 1,
              answer: t.answer + event.text,
              firstTokenMs: t.firstTokenMs ?? elapsed,
            }));
            break;
          case 'done':
            message.end();
            entry.stream = undefined;
            update(id, (t) => ({
              chunks: t.chunks + 1,
              status: 'done',
              serverEvents: event.events,
              outputTokens: event.usage?.outputTokens,
              durationMs: elapsed,
            }));
            break;
          case 'error': {
            const error = new Error(event.error.message);
            error.name = event.error.type;
            message.fail(error);
            entry.stream = undefined;
            update(id, (t) => ({
              chunks: t.chunks + 1,
              status: 'error',
              error: `${event.error.type}: ${event.error.message}`,
              durationMs: elapsed,
            }));
            break;
          }
        }
      };
      entry.stream = openChatStream(
        settings.transport,
        {
          gatewayUrl,
          message: question,
          conversationId,
          ...(settings.fault === 'none' ? {} : { fault: settings.fault }),
        },
        {
          onEvent,
          onFailure(error) {
            message.fail(error);
            entry.stream = undefined;
            update(id, () => ({
              status: 'error',
              error: error.message,
              durationMs: Math.round(performance.now() - startedAt),
            }));
          },
        },
      );
    },
    [st, gatewayUrl, conversationId, settings.transport, settings.fault, update],
  );

  const busy = turns.some((turn) => turn.status === 'streaming');

  const send = useCallback(
    (question: string) => {
      const text = question.trim();
      if (text === '' || turnsRef.current.some((t) => t.status === 'streaming')) return;
      const message = st.startMessage({
        conversationId,
        attributes: { 'streamtrace.demo.transport': settings.transport, 'streamtrace.demo.fault': settings.fault },
      });
      run(message, text, false);
    },
    [st, conversationId, settings.transport, settings.fault, run],
  );

  const stop = useCallback(() => {
    for (const turn of turnsRef.current) {
      if (turn.status !== 'streaming') continue;
      const entry = live.current.get(turn.id);
      if (!entry) continue;
      // Cancel first, then close: to the SDK an EventSource closed by the page looks like a normal
      // end, so it must already know this stream is being cancelled.
      entry.message.cancel('user');
      entry.stream?.stop();
      entry.stream = undefined;
      update(turn.id, () => ({ status: 'cancelled', durationMs: Math.round(performance.now() - turn.startedAt) }));
    }
  }, [update]);

  const regenerate = useCallback(() => {
    const all = turnsRef.current;
    const last = all[all.length - 1];
    if (!last || all.some((t) => t.status === 'streaming')) return;
    const previous = live.current.get(last.id);
    if (!previous) return;
    run(previous.message.regenerate(), last.question, true);
  }, [run]);

  const feedback = useCallback(
    (turnId: string, value: 'up' | 'down') => {
      const entry = live.current.get(turnId);
      if (!entry) return;
      entry.message.feedback(
        value === 'up' ? { score: 1, label: 'thumbs_up' } : { score: -1, label: 'thumbs_down' },
      );
      update(turnId, () => ({ feedback: value }));
    },
    [update],
  );

  const renderTarget = useCallback((turnId: string, element: Element | null) => {
    if (element) live.current.get(turnId)?.message.setRenderTarget(element);
  }, []);

  // Leaving the page mid-answer is a cancellation, not an error.
  useEffect(() => {
    const onHide = (): void => {
      for (const entry of live.current.values()) {
        if (!entry.stream) continue;
        entry.message.cancel('page_hidden');
        entry.stream.stop();
        entry.stream = undefined;
      }
    };
    addEventListener('pagehide', onHide);
    return () => removeEventListener('pagehide', onHide);
  }, []);

  return { turns, busy, send, stop, regenerate, feedback, renderTarget };
}
