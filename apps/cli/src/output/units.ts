/** Small, pure formatting of numbers for humans (tables, summaries, the watch screen). */

/** `12.3 ms`, `1.20 s`, or `–` when there is no value. */
export function formatMillis(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  return `${value.toFixed(1)} ms`;
}

/** `2h 3m`, `4m 5s`, `12s`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

export function formatPercent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '0.0%';
}

/** A horizontal bar `████▌` of `width` cells for `part / whole`. */
export function bar(part: number, whole: number, width = 30): string {
  if (whole <= 0 || part <= 0) return '';
  const cells = (part / whole) * width;
  const full = Math.floor(cells);
  return '█'.repeat(full) + (cells - full >= 0.5 ? '▌' : '');
}

/** Local wall-clock time `HH:MM:SS` of an ISO timestamp or a Date. */
export function clockTime(at: string | Date = new Date()): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return date.toTimeString().slice(0, 8);
}
