import type { ServerResponse } from 'node:http';
import { HttpError } from '../http-error.js';
import { sendJson } from '../query.js';
import { buildDashboard } from './dashboard.js';
import { feedbackJsonl } from './feedback-export.js';
import { recentMessages } from './recent-messages.js';
import type { SpanStore } from '../span-store.js';

const DEFAULT_WINDOW_SECONDS = 300;
const MAX_WINDOW_SECONDS = 7 * 24 * 3600;
const DEFAULT_SLOWEST = 10;
const MAX_SLOWEST = 100;

function positiveParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new HttpError(400, `${name} must be a positive number`);
  return Math.min(value, max);
}

/** `GET /api/dashboard?window=<seconds>&slowest=<n>`: messages whose traces received spans within the window. */
export function handleDashboard(res: ServerResponse, spans: SpanStore, params: URLSearchParams, now: () => number = Date.now): void {
  const windowSeconds = positiveParam(params, 'window', DEFAULT_WINDOW_SECONDS, MAX_WINDOW_SECONDS);
  const slowest = Math.floor(positiveParam(params, 'slowest', DEFAULT_SLOWEST, MAX_SLOWEST));
  const messages = recentMessages(spans, now() - windowSeconds * 1000);
  sendJson(res, 200, buildDashboard(messages, { windowSeconds, slowest }));
}

/** `GET /api/export/feedback.jsonl`: every stored message with feedback, one JSON object per line. */
export function handleFeedbackExport(res: ServerResponse, spans: SpanStore, method: string): void {
  const body = feedbackJsonl(recentMessages(spans));
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'content-disposition': 'attachment; filename="feedback.jsonl"',
  });
  res.end(method === 'HEAD' ? undefined : body);
}
