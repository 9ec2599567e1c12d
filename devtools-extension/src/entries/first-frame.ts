import type { TraceListItem } from '../bridge/trace-listing';
import { newestFirst } from '../bridge/trace-listing';
import { listedRow } from '../ui/models/messages';
import type { MessageRow } from '../ui/models/messages';
import { formatClock, formatMs } from '../ui/format';
import { FIRST_FRAME_STYLE, PANEL_CSS, PANEL_STYLE_ATTRIBUTE } from '../ui/styles';
import { MESSAGE_ROW_HEIGHT, STATUS_TEXT, countText, errorText, rowTooltip } from '../ui/components/message-row-text';
import { DEFAULT_FALLBACK_HEIGHT, DEFAULT_OVERSCAN, virtualWindow } from '../ui/components/virtual-window';

// The standalone page's first frame, drawn by its inline script from the listed traces while the
// panel's module still downloads and compiles: the same DOM the panel's first render makes for
// that list (App, Toolbar, MessageList and VirtualList, nothing selected, no filter, connecting),
// as one HTML string. The panel then renders over it, reusing these elements (Preact keeps the
// DOM it finds in its container), so the page does not change when the code takes over.
// first-frame.test.tsx holds the two to the same DOM.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (value: string): string => value.replace(/[&<>"]/g, (c) => ESCAPES[c]!);

function rowHtml(row: MessageRow, index: number): string {
  const line = [
    `<span class="badge badge-${row.status}">${STATUS_TEXT[row.status]}</span>`,
    row.transport ? `<span class="message-transport">${escape(row.transport)}</span>` : '',
    `<span class="message-time">${formatClock(row.startMs)}</span>`,
    `<span class="message-ttft" title="time to first visible token">TTFT ${escape(formatMs(row.ttftMs))}</span>`,
  ].join('');
  const meta = [
    `<span title="duration">${escape(formatMs(row.durationMs))}</span>`,
    `<span>${escape(countText(row))}</span>`,
    row.errorCount > 0 ? `<span class="text-error">${escape(errorText(row))}</span>` : '',
    row.isChatMessage ? '' : `<span class="message-root">${escape(row.title)}</span>`,
  ].join('');
  const last = row.preview
    ? `<span class="message-preview">${escape(row.preview)}</span>`
    : `<span class="message-id mono">${escape(row.messageId ?? row.traceId)}</span>`;
  return `<div class="vlist-row" role="listitem" style="transform: translateY(${index * MESSAGE_ROW_HEIGHT}px); height: ${MESSAGE_ROW_HEIGHT}px;">`
    + `<button type="button" class="message-row status-${row.status}" data-trace-id="${escape(row.traceId)}" title="${escape(rowTooltip(row))}">`
    + `<span class="message-line">${line}</span><span class="message-meta">${meta}</span>${last}</button></div>`;
}

/** What the first frame shows of a list: the rows in its window and the counts around them. */
export interface FirstFrameView {
  /** The first rows of the shown (chat) messages, newest first: as many as the window holds. */
  rows: TraceListItem[];
  /** Chat messages (shown) and all listed traces. */
  shown: number;
  total: number;
  /** Whether the traces belong to more than one conversation (the conversation filter shows). */
  conversations: boolean;
}

/** Rows the first frame's window holds at most: the list before it has been measured. */
export const FIRST_FRAME_ROWS = virtualWindow(0, DEFAULT_FALLBACK_HEIGHT, MESSAGE_ROW_HEIGHT, Number.MAX_SAFE_INTEGER, DEFAULT_OVERSCAN).last;

/** The view of `traces` (as `/api/traces` lists them), as the panel's first render filters and sorts them. */
export function firstFrameView(traces: TraceListItem[]): FirstFrameView {
  const chat = traces.filter((trace) => trace.isChatMessage).sort(newestFirst);
  return {
    rows: chat.slice(0, FIRST_FRAME_ROWS),
    shown: chat.length,
    total: traces.length,
    conversations: new Set(traces.map((trace) => trace.conversationId).filter(Boolean)).size > 1,
  };
}

/**
 * The panel's DOM for `traces` (or their view) read from `source` (the adapter's status source,
 * e.g. `collector http://127.0.0.1:4318`); undefined when the list would show no message (the
 * panel's own "no messages" page is left to the panel).
 */
export function firstFrameHtml(traces: TraceListItem[] | FirstFrameView, source: string): string | undefined {
  const view = Array.isArray(traces) ? firstFrameView(traces) : traces;
  if (!view.shown) return undefined;
  const { first, last } = virtualWindow(0, DEFAULT_FALLBACK_HEIGHT, MESSAGE_ROW_HEIGHT, view.shown, DEFAULT_OVERSCAN);
  let list = '';
  for (let i = first; i < last; i++) list += rowHtml(listedRow(view.rows[i]!), i);
  const counts = view.shown === view.total ? `${view.total} traces` : `${view.shown} of ${view.total} traces`;
  const conversations = view.conversations
    ? '<select class="conversation-filter" aria-label="Conversation"><option value="">All conversations</option></select>'
    : '';
  return '<div class="st-root"><div class="toolbar" role="toolbar"><span class="brand">Streamtrace</span>'
    + `<span class="conn conn-connecting" title="${escape(source)}"><span class="conn-dot"></span>connecting · ${escape(source)}</span>`
    + '<input class="search" type="search" placeholder="Search trace, message or session id">'
    + '<select class="session-filter" aria-label="Session"><option value="">All sessions</option></select>'
    + conversations
    + '<label class="all-traces" title="also list traces without a chat message (web vitals, backend-only requests)"><input type="checkbox">all traces</label>'
    + `<span class="counts">${counts}</span><span class="spacer"></span>`
    + '<button type="button" class="tb-button" aria-pressed="false">Pause</button><button type="button" class="tb-button">Clear</button>'
    + '<button type="button" class="tb-button" aria-label="Settings">Settings</button></div>'
    + '<div class="tabs" role="tablist"><button type="button" role="tab" class="tab active" aria-selected="true">Messages</button>'
    + '<button type="button" role="tab" class="tab" aria-selected="false">Dashboard</button></div>'
    + '<div class="st-main"><section class="st-list"><div class="message-list-wrap"><div class="vlist message-list" role="list" aria-label="Messages">'
    + `<div class="vlist-spacer" style="height: ${view.shown * MESSAGE_ROW_HEIGHT}px;">${list}</div></div></div></section>`
    + '<section class="st-detail"><div class="empty">Select a message to see its trace.</div></section></div></div>';
}

/** What was done in the first frame before the panel took it over; the panel starts from it. */
export interface FirstFrameInput {
  search: string;
  allTraces: boolean;
  /** The message row clicked last. */
  selected?: string;
}

export interface FirstFrame {
  /** Reads what was typed, ticked and clicked so far, and stops listening for clicks. */
  takeOver(): FirstFrameInput;
}

/**
 * Draws the first frame into `container` (with the panel's stylesheet, as mount() would add it);
 * undefined when there is nothing to draw or the container already holds something. Until the
 * panel takes over, a click on a row selects it (the panel opens that trace when it mounts).
 */
export function drawFirstFrame(container: HTMLElement, traces: TraceListItem[] | FirstFrameView, source: string): FirstFrame | undefined {
  if (container.firstChild) return undefined;
  const html = firstFrameHtml(traces, source);
  if (html === undefined) return undefined;
  const document = container.ownerDocument;
  if (!document.head.querySelector(`style[${PANEL_STYLE_ATTRIBUTE}="${FIRST_FRAME_STYLE}"]`)) {
    const style = document.createElement('style');
    style.setAttribute(PANEL_STYLE_ATTRIBUTE, FIRST_FRAME_STYLE);
    style.textContent = PANEL_CSS;
    document.head.appendChild(style);
  }
  container.classList.add('st-container');
  container.innerHTML = html;
  let selected: string | undefined;
  const onClick = (event: Event): void => {
    const row = (event.target as Element | null)?.closest?.('.message-row');
    const traceId = row?.getAttribute('data-trace-id');
    if (!row || !traceId) return;
    selected = traceId;
    for (const other of container.querySelectorAll('.message-row.selected')) other.classList.remove('selected');
    row.classList.add('selected');
  };
  container.addEventListener('click', onClick);
  return {
    takeOver() {
      container.removeEventListener('click', onClick);
      const search = container.querySelector<HTMLInputElement>('input.search')?.value ?? '';
      const allTraces = container.querySelector<HTMLInputElement>('.all-traces input')?.checked ?? false;
      return selected ? { search, allTraces, selected } : { search, allTraces };
    },
  };
}
