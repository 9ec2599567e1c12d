// Injected as one <style> element by mount(); plain CSS so the extension needs no CSS pipeline.

/** Marks the panel's <style> element; mount() takes over one whose value is FIRST_FRAME_STYLE. */
export const PANEL_STYLE_ATTRIBUTE = 'data-streamtrace-panel';
/** Added by the standalone page's first frame (entries/first-frame.ts), before the panel mounts. */
export const FIRST_FRAME_STYLE = 'first-frame';

export const PANEL_CSS = `
.st-container {
  --bg: #ffffff; --bg-alt: #f6f7f9; --bg-hover: #eef1f5; --bg-sel: #dde8fb; --fg: #1f2328; --muted: #656d76;
  --border: #d8dde3; --accent: #1a73e8; --error: #d93025; --warn: #c26a00; --ok: #188038; --critical: #f29900;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg);
  height: 100%; margin: 0;
}
@media (prefers-color-scheme: dark) {
  .st-container {
    --bg: #202124; --bg-alt: #292a2d; --bg-hover: #303134; --bg-sel: #1e3a5f; --fg: #e8eaed; --muted: #9aa0a6;
    --border: #3c4043; --accent: #8ab4f8; --error: #f28b82; --warn: #fdd663; --ok: #81c995; --critical: #fbbc04;
  }
}
.st-container *, .st-container *::before, .st-container *::after { box-sizing: border-box; }
.st-root { display: flex; flex-direction: column; height: 100%; min-height: 0; }
.mono { font-family: var(--mono); }
.muted { color: var(--muted); font-weight: normal; }
.text-error { color: var(--error); }
.text-warn { color: var(--warn); }
.empty { padding: 24px; color: var(--muted); text-align: center; }
.empty.small { padding: 8px; text-align: left; }

.toolbar { display: flex; align-items: center; gap: 8px; padding: 4px 8px; border-bottom: 1px solid var(--border); background: var(--bg-alt); flex: none; min-height: 34px; flex-wrap: wrap; }
.brand { font-weight: 600; letter-spacing: .2px; }
.conn { display: inline-flex; align-items: center; gap: 5px; color: var(--muted); white-space: nowrap; }
.conn-dot { width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
.conn-connected .conn-dot { background: var(--ok); }
.conn-reconnecting .conn-dot, .conn-connecting .conn-dot { background: var(--warn); }
.conn-disconnected .conn-dot { background: var(--error); }
.search { flex: 0 1 260px; min-width: 140px; }
.search, .session-filter, .conversation-filter, .settings input { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 3px 6px; }
.session-filter, .conversation-filter { width: 180px; }
.all-traces { display: inline-flex; align-items: center; gap: 3px; color: var(--muted); white-space: nowrap; cursor: pointer; }
.counts { color: var(--muted); white-space: nowrap; }
.dropped { color: var(--warn); }
.spacer { flex: 1; }
.tb-button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 2px 9px; cursor: pointer; text-decoration: none; white-space: nowrap; }
.tb-button:hover { background: var(--bg-hover); }
.tb-button.active, .tb-button.primary { border-color: var(--accent); color: var(--accent); }
.icon-button { font-size: 16px; line-height: 1; border: 0; background: none; color: var(--muted); cursor: pointer; }

.settings { display: flex; flex-direction: column; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--border); background: var(--bg-alt); }
.settings label { display: flex; flex-direction: column; gap: 3px; }
.settings label > span:first-child { color: var(--muted); }
.settings input { max-width: 520px; }
.settings-actions { display: flex; gap: 6px; }

.st-main { display: flex; flex: 1; min-height: 0; }
.st-list { width: 340px; max-width: 50%; flex: none; border-right: 1px solid var(--border); display: flex; flex-direction: column; min-height: 0; }
.st-detail { flex: 1; min-width: 0; overflow: auto; }

.message-list-wrap { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.vlist { position: relative; overflow-y: auto; flex: 1; min-height: 0; height: 100%; }
.vlist-spacer { position: relative; width: 100%; }
.vlist-row { position: absolute; top: 0; left: 0; right: 0; }

.message-row { display: flex; flex-direction: column; justify-content: center; gap: 1px; width: 100%; height: 100%; padding: 3px 10px; border: 0; border-bottom: 1px solid var(--border); background: var(--bg); color: inherit; font: inherit; text-align: left; cursor: pointer; overflow: hidden; }
.message-row:hover { background: var(--bg-hover); }
.message-row.selected { background: var(--bg-sel); }
.message-row.status-error { box-shadow: inset 3px 0 0 var(--error); }
.message-row.status-cancel { box-shadow: inset 3px 0 0 var(--warn); }
.message-line, .message-meta { display: flex; align-items: center; gap: 6px; min-width: 0; width: 100%; height: 17px; white-space: nowrap; overflow: hidden; flex: none; }
.message-line > * { flex: none; }
.message-transport { font-size: 11px; color: var(--accent); }
.message-time { color: var(--muted); font-family: var(--mono); font-size: 11px; }
.message-line > .message-time { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.message-ttft { margin-left: auto; font-weight: 600; font-family: var(--mono); font-size: 11px; }
.message-meta { color: var(--muted); font-size: 11px; }
.message-meta > span { flex: none; }
.message-meta > span:not(:last-child)::after { content: "·"; margin-left: 6px; color: var(--muted); }
.message-meta > .message-root { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.message-preview, .message-id { display: block; width: 100%; height: 16px; line-height: 16px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: none; }
.message-id { color: var(--muted); font-size: 11px; }
.badge { font-size: 10px; padding: 0 5px; border-radius: 8px; border: 1px solid currentColor; text-transform: uppercase; letter-spacing: .3px; }
.badge-complete { color: var(--ok); }
.badge-error { color: var(--error); }
.badge-cancel { color: var(--warn); }
.badge-pending { color: var(--muted); }

.trace-view { display: flex; flex-direction: column; gap: 10px; padding: 10px 12px; min-width: 0; }
.trace-head { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.trace-id { font-size: 12px; font-weight: 600; margin-right: 6px; }
.lookup-state { color: var(--muted); }
.card { border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; background: var(--bg); }
.card h3 { margin: 0 0 6px; font-size: 12px; font-weight: 600; }

.breakdown { border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; }
.breakdown-head { display: flex; gap: 12px; justify-content: space-between; flex-wrap: wrap; font-weight: 600; margin-bottom: 6px; }
.breakdown-largest { font-weight: normal; }
.breakdown-bar { display: flex; height: 14px; border-radius: 3px; overflow: hidden; background: var(--bg-alt); }
.breakdown-part { height: 100%; min-width: 2px; }
.breakdown-part.is-largest { outline: 2px solid var(--fg); outline-offset: -2px; }
.breakdown-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; padding: 0; margin: 6px 0 0; }
.breakdown-legend li { display: inline-flex; align-items: center; gap: 5px; }
.legend-ms { color: var(--muted); font-family: var(--mono); }
.swatch { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
.breakdown-notes { color: var(--muted); margin-top: 4px; font-size: 11px; }

.chunk-summary { display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--muted); margin-bottom: 4px; }
.chunk-svg { width: 100%; height: 120px; display: block; }
.chunk-svg .lane { stroke: var(--border); stroke-width: 1; }
.chunk-svg .chunk-point { fill: var(--accent); }
.chunk-svg .chunk-paint { stroke: #b07aa1; stroke-width: 1.5; fill: none; }
.chunk-svg .render-link { stroke: var(--muted); stroke-width: .6; opacity: .5; fill: none; }
.chunk-svg .stall { fill: var(--error); opacity: .15; }
.chunk-svg .lane-label, .chunk-svg .axis-label { fill: var(--muted); font-size: 11px; }

.waterfall-card { padding: 0; overflow: hidden; }
.waterfall-card h3 { padding: 8px 10px 0; }
.waterfall-wrap { display: flex; min-height: 0; }
.waterfall { flex: 1; min-width: 0; display: flex; flex-direction: column; }
.waterfall-rows { height: min(60vh, 520px); flex: none; }
.waterfall-header { display: flex; border-bottom: 1px solid var(--border); color: var(--muted); height: 22px; align-items: center; }
.waterfall-scale { position: relative; height: 100%; }
.waterfall-scale > span { position: absolute; top: 3px; white-space: nowrap; transform: translateX(-50%); font-size: 10px; font-family: var(--mono); }
.waterfall-scale > span:first-child { transform: none; }
.waterfall-scale > span:last-child { transform: translateX(-100%); }
.span-row { display: flex; width: 100%; height: 100%; border: 0; padding: 0; background: var(--bg); color: inherit; font: inherit; text-align: left; cursor: pointer; border-bottom: 1px solid var(--bg-alt); }
.span-row:hover { background: var(--bg-hover); }
.span-row.selected { background: var(--bg-sel); }
.span-name { width: 36%; min-width: 230px; flex: none; display: flex; align-items: center; gap: 5px; overflow: hidden; white-space: nowrap; padding-right: 6px; border-right: 1px solid var(--border); }
.span-label { overflow: hidden; text-overflow: ellipsis; }
.span-service { color: var(--muted); font-size: 11px; overflow: hidden; text-overflow: ellipsis; }
.service-dot { width: 8px; height: 8px; border-radius: 2px; flex: none; }
.orphan-marker { color: var(--warn); font-size: 10px; flex: none; }
.span-track { position: relative; flex: 1; min-width: 0; margin: 0 8px; }
.span-bar { position: absolute; top: 6px; height: 11px; border-radius: 2px; min-width: 2px; opacity: .9; }
.span-row.is-critical .span-bar { box-shadow: 0 0 0 2px var(--critical); }
.span-row.is-critical .span-label { font-weight: 600; }
.span-row.is-error .span-bar { background: var(--error); }
.span-row.is-error .span-label { color: var(--error); }
.span-tick { position: absolute; top: 3px; width: 1px; height: 17px; background: var(--fg); opacity: .55; }
.span-duration { position: absolute; top: 4px; padding-left: 4px; font-size: 10px; color: var(--muted); white-space: nowrap; font-family: var(--mono); }
.span-duration.inside { padding: 0 4px; margin-right: 2px; top: 5px; line-height: 13px; background: var(--bg); border-radius: 3px; opacity: .92; color: var(--fg); }
.span-error-text { color: var(--error); font-family: inherit; }

.span-details { width: 300px; flex: none; border-left: 1px solid var(--border); padding: 8px 10px; overflow: auto; max-height: calc(min(60vh, 520px) + 22px); background: var(--bg-alt); }
.span-details header { display: flex; justify-content: space-between; align-items: center; gap: 6px; margin-bottom: 6px; word-break: break-all; }
.span-details h4 { margin: 10px 0 4px; font-size: 11px; text-transform: uppercase; color: var(--muted); letter-spacing: .4px; }
.kv { display: grid; grid-template-columns: minmax(90px, max-content) 1fr; gap: 2px 10px; margin: 0; }
.kv dt { color: var(--muted); font-family: var(--mono); font-size: 11px; word-break: break-all; }
.kv dd { margin: 0; font-family: var(--mono); font-size: 11px; word-break: break-all; white-space: pre-wrap; }
.events { list-style: none; margin: 0; padding: 0; }
.events li { display: grid; grid-template-columns: 70px 1fr; gap: 0 6px; padding: 2px 0; border-bottom: 1px solid var(--border); font-size: 11px; }
.event-time { color: var(--muted); font-family: var(--mono); }
.event-attrs { grid-column: 2; color: var(--muted); font-family: var(--mono); word-break: break-all; }


.tabs { display: flex; gap: 2px; padding: 0 8px; border-bottom: 1px solid var(--border); background: var(--bg-alt); flex: none; }
.tab { font: inherit; color: var(--muted); background: none; border: 0; border-bottom: 2px solid transparent; padding: 5px 12px; cursor: pointer; }
.tab.active { color: var(--fg); border-bottom-color: var(--accent); }
.link-button { font: inherit; color: var(--accent); background: none; border: 0; padding: 0; cursor: pointer; text-align: left; text-decoration: underline; text-underline-offset: 2px; }

.root-cause { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; padding: 6px 10px; border-radius: 6px; border: 1px solid var(--border); background: var(--bg-alt); }
.root-cause.is-error { border-color: var(--error); }
.root-cause-label { color: var(--muted); }
.root-cause.is-error .root-cause-layer { color: var(--error); font-weight: 600; }
.root-cause-message { font-family: var(--mono); font-size: 11px; word-break: break-word; }

.logs-card { overflow-x: auto; }
.log-table, .dash-table { border-collapse: collapse; width: 100%; font-size: 11px; }
.log-table th, .dash-table th { text-align: left; color: var(--muted); font-weight: normal; padding: 2px 8px 2px 0; border-bottom: 1px solid var(--border); }
.log-table td, .dash-table td, .dash-table tbody th { padding: 2px 8px 2px 0; border-bottom: 1px solid var(--bg-alt); vertical-align: top; }
.dash-table tbody th { color: var(--fg); }
.log-time, .log-severity, .log-service { white-space: nowrap; }
.log-body { font-family: var(--mono); word-break: break-word; white-space: pre-wrap; width: 100%; }
.log-row.sev-warn .log-severity { color: var(--warn); }
.log-row.sev-error .log-severity, .log-row.sev-fatal .log-severity { color: var(--error); font-weight: 600; }
.log-row.selected { background: var(--bg-sel); }

.st-dashboard { flex: 1; min-height: 0; overflow: auto; }
.dashboard { padding: 10px 12px; display: flex; flex-direction: column; gap: 10px; }
.dashboard-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.window-select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 2px 4px; }
.dashboard-totals { color: var(--muted); }
.dashboard-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 10px; }
.slowest-card, .failures-card { grid-column: 1 / -1; }
.dash-table td.mono { white-space: nowrap; }
.slowest-table tr.is-error td { color: var(--error); }
`;
