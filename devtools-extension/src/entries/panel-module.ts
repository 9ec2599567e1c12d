/**
 * The standalone page's HTML only preloads the panel's module (`<link rel="modulepreload"
 * data-streamtrace-module>`, build.mjs): its inline script starts it once the first frame it drew
 * is on screen, so the module's evaluation (tens of ms on a busy machine) never comes between that
 * frame and the list it shows.
 */
export const PANEL_MODULE_ATTRIBUTE = 'data-streamtrace-module';

/** Adds the module's <script> for the preloaded module (same URL and CORS mode: the preload is reused). */
export function startPanelModule(document: Document): void {
  const link = document.querySelector<HTMLLinkElement>(`link[${PANEL_MODULE_ATTRIBUTE}]`);
  if (!link || document.querySelector(`script[${PANEL_MODULE_ATTRIBUTE}]`)) return;
  const script = document.createElement('script');
  script.type = 'module';
  script.crossOrigin = '';
  script.src = link.href;
  script.setAttribute(PANEL_MODULE_ATTRIBUTE, '');
  document.body.append(script);
}

/** What schedules the start: the page's window. */
export type FrameScheduler = Pick<Window, 'requestAnimationFrame' | 'setTimeout'>;

/** Runs `run` in the first task after the next frame has been drawn. */
export function afterNextFrame(run: () => void, frames: FrameScheduler = window): void {
  frames.requestAnimationFrame(() => frames.setTimeout(run, 0));
}

/** Starts the module after the next frame has been drawn (`drawn`), else at once. */
export function startPanelModuleAfter(document: Document, drawn: boolean, frames: FrameScheduler | null = document.defaultView): void {
  if (drawn && frames) afterNextFrame(() => startPanelModule(document), frames);
  else startPanelModule(document);
}
