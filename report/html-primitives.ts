// The report's HTML primitives, shared by the run, compare and capacity pages and the live dashboard:
// escaping, the inlined uPlot assets and the browser-locale shim.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

// ---- uPlot, read once from node_modules -------------------------------------------------------------------

let uplot: { js: string; css: string } | null = null;
export function uplotAssets(): { js: string; css: string } {
  if (uplot === null) {
    const dir = path.dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
    uplot = {
      js: readFileSync(path.join(dir, 'uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(path.join(dir, 'uPlot.min.css'), 'utf8'),
    };
  }
  return uplot;
}

// uPlot formats numbers with navigator.language when it loads, and a browser started under LANG=C reports
// "en-US@posix", which Intl refuses: such a browser gets "en-US" instead of no charts.
export const LOCALE_SHIM = `try { new Intl.NumberFormat(navigator.language); } catch (e) {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
}
`;
