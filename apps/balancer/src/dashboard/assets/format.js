/* Number, time and name formatting for the dashboard. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 12345 → "12,345"; null/undefined → "—". */
export function formatCount(n) {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** Requests per second: one decimal below 100, whole numbers above. */
export function formatRate(n) {
  if (n === null || n === undefined) return '—';
  return n < 100 ? oneDecimal.format(n) : integer.format(n);
}

/** Milliseconds: "0.8 ms", "12 ms", "1.2 s"; null → "—". */
export function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms >= 1000) return `${oneDecimal.format(ms / 1000)} s`;
  return `${ms < 10 ? oneDecimal.format(ms) : integer.format(ms)} ms`;
}

/**
 * An algorithm's short name from the registry (GET /api/algorithms): "weightedroundrobin" →
 * "Weighted round robin". Before the list has arrived, or for a name not in it, the name itself.
 */
export function algorithmLabel(name, catalog = []) {
  return catalog.find((a) => a.name === name)?.title ?? name ?? '—';
}

/** "http://127.0.0.1:8001" → "127.0.0.1:8001" (the scheme is shown only when it is https). */
export function shortUrl(url) {
  return url.startsWith('http://') ? url.slice(7) : url;
}

/** Colours for backends, distinct on a dark background; a backend keeps its colour while it exists. */
const PALETTE = [
  '#818cf8',
  '#34d399',
  '#f472b6',
  '#fbbf24',
  '#38bdf8',
  '#a78bfa',
  '#fb923c',
  '#2dd4bf',
  '#f87171',
  '#a3e635',
];
const colours = new Map();

export function colourOf(url) {
  let colour = colours.get(url);
  if (!colour) {
    const used = new Set(colours.values());
    colour = PALETTE.find((c) => !used.has(c)) ?? PALETTE[colours.size % PALETTE.length];
    colours.set(url, colour);
  }
  return colour;
}

export function releaseColour(url) {
  colours.delete(url);
}
