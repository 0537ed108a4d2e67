import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One second of the soak: the load generator's numbers and the balancer's own (/metrics). */
export interface SoakSample {
  /** Seconds since the load started. */
  t: number;
  rps: number;
  p99Ms: number;
  /** Requests finished in this second that broke an invariant. */
  errors: number;
  rssMiB: number;
  heapMiB: number;
  eventLoopP99Ms: number;
  /** The fault active in this second, if any. */
  fault: string | null;
}

export interface SoakWindow {
  name: string;
  startS: number;
  endS: number;
}

export interface SoakSummary {
  passed: boolean;
  failures: string[];
  startedAt: string;
  durationS: number;
  settings: Record<string, string | number | boolean>;
  requests: { total: number; byStatus: Record<string, number>; posts: number; rps: number; p99Ms: number };
  rss: { markS: number; atMarkMiB: number; endMiB: number; growthMiB: number; limitMiB: number };
  invariants: {
    broken: number;
    brokenExamples: string[];
    clientTimeouts: number;
    writesDeliveredTwice: number;
    answeredButNotDelivered: number;
    activeAtEnd: Record<string, number>;
    fiveHundredsByWindow: Array<{ startS: number; count: number; bound: number }>;
  };
  /** Retries the balancer made, and those its retry budget refused (absent in reports written before). */
  retries?: { made: number; refused: number };
  faults: SoakWindow[];
  samples: SoakSample[];
}

const UPLOT_DIR = join(__dirname, '..', 'node_modules', 'uplot', 'dist');

/** `</script>` inside inlined code or data would end the element early. */
const inlineSafe = (text: string) => text.replace(/<\/(script|style)/gi, '<\\/$1');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * The soak's HTML report: a summary table and one uPlot chart per series (memory, event-loop delay,
 * RPS, p99, errors), the fault windows shaded and named. uPlot and its CSS are inlined from
 * node_modules: the file opens offline, no CDN.
 */
export function renderSoakReport(summary: SoakSummary): string {
  const uplotJs = readFileSync(join(UPLOT_DIR, 'uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(join(UPLOT_DIR, 'uPlot.min.css'), 'utf8');
  const rows: Array<[string, string]> = [
    ['result', summary.passed ? 'PASSED' : `FAILED: ${summary.failures.join('; ')}`],
    ['started', summary.startedAt],
    ['duration', `${summary.durationS} s`],
    [
      'requests',
      `${summary.requests.total} (${summary.requests.rps.toFixed(0)} per second, p99 ${summary.requests.p99Ms.toFixed(1)} ms)`,
    ],
    [
      'by status',
      Object.entries(summary.requests.byStatus)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
    ],
    [
      'RSS',
      `${summary.rss.atMarkMiB.toFixed(1)} MiB at ${summary.rss.markS} s → ${summary.rss.endMiB.toFixed(1)} MiB at the end (growth ${summary.rss.growthMiB.toFixed(1)} MiB, limit ${summary.rss.limitMiB} MiB)`,
    ],
    [
      'invariants',
      `broken ${summary.invariants.broken}, client timeouts ${summary.invariants.clientTimeouts}, writes delivered twice ${summary.invariants.writesDeliveredTwice}, answered but not delivered ${summary.invariants.answeredButNotDelivered}`,
    ],
    ...(summary.retries
      ? ([['retries', `${summary.retries.made} made, ${summary.retries.refused} refused by the budget`]] as Array<
          [string, string]
        >)
      : []),
    ['faults', summary.faults.map((f) => `${f.name} ${f.startS}–${f.endS} s`).join(', ')],
    [
      'settings',
      Object.entries(summary.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ],
  ];
  const table = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  const data = {
    t: summary.samples.map((s) => s.t),
    series: {
      rssMiB: summary.samples.map((s) => s.rssMiB),
      heapMiB: summary.samples.map((s) => s.heapMiB),
      eventLoopP99Ms: summary.samples.map((s) => s.eventLoopP99Ms),
      rps: summary.samples.map((s) => s.rps),
      p99Ms: summary.samples.map((s) => s.p99Ms),
      errors: summary.samples.map((s) => s.errors),
    },
    faults: summary.faults,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Loadex soak report</title>
<style>${inlineSafe(uplotCss)}</style>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin-bottom: 16px; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #ddd; vertical-align: top; }
.chart { margin: 12px 0 24px; }
h2 { font-size: 15px; margin: 18px 0 4px; }
</style>
</head>
<body>
<h1>Loadex soak report</h1>
<table>${table}</table>
<div id="charts"></div>
<script>${inlineSafe(uplotJs)}</script>
<script>
const report = ${inlineSafe(JSON.stringify(data))};
const faultBands = {
  hooks: {
    drawClear: [(u) => {
      const ctx = u.ctx;
      ctx.save();
      for (const f of report.faults) {
        const x0 = u.valToPos(f.startS, 'x', true);
        const x1 = u.valToPos(f.endS, 'x', true);
        ctx.fillStyle = 'rgba(220, 60, 60, 0.10)';
        ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
        ctx.fillStyle = 'rgba(160, 30, 30, 0.9)';
        ctx.font = (12 * devicePixelRatio) + 'px system-ui';
        ctx.fillText(f.name, x0 + 3, u.bbox.top + 14 * devicePixelRatio);
      }
      ctx.restore();
    }],
  },
};
const charts = [
  ['Memory of the balancer (MiB)', [['RSS', 'rssMiB', '#1f77b4'], ['heap used', 'heapMiB', '#2ca02c']]],
  ['Event-loop delay p99 (ms)', [['event loop p99', 'eventLoopP99Ms', '#9467bd']]],
  ['Requests per second', [['RPS', 'rps', '#ff7f0e']]],
  ['Latency p99 (ms)', [['p99', 'p99Ms', '#8c564b']]],
  ['Requests breaking an invariant (per second)', [['errors', 'errors', '#d62728']]],
];
const width = Math.min(1100, document.body.clientWidth - 20);
for (const [title, series] of charts) {
  const h = document.createElement('h2');
  h.textContent = title;
  const div = document.createElement('div');
  div.className = 'chart';
  document.getElementById('charts').append(h, div);
  new uPlot({
    width, height: 220,
    plugins: [faultBands],
    // From 0, with headroom above the highest value so no line hides under the fault names.
    scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.3] } },
    axes: [{ label: 'seconds' }, {}],
    series: [{ label: 's' }, ...series.map(([label, key, stroke]) => ({ label, stroke, width: 1.5 }))],
  }, [report.t, ...series.map(([, key]) => report.series[key])], div);
}
</script>
</body>
</html>
`;
}
