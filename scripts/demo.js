#!/usr/bin/env node
// `npm run demo`: five demo backends on 8001–8005 and the balancer on 8080 (weighted 2,1,2,1,1,
// lab mode on), built first if needed. Ctrl-C stops every child. No Docker needed.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const balancerMain = join(root, 'dist/apps/balancer/main.js');
const backendMain = join(root, 'dist/apps/backend/main.js');
const algo = process.env.LOADEX_ALGO || 'weightedroundrobin';
const ports = [8001, 8002, 8003, 8004, 8005];
const weights = [2, 1, 2, 1, 1];

if (!existsSync(balancerMain) || !existsSync(backendMain) || !existsSync(join(root, 'dist/apps/cli/main.js'))) {
  console.log('demo: building first (npm run build)…');
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const children = [];
let stopping = false;
function start(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`demo: ${name} exited (${code ?? signal}); stopping the demo`);
      stop(1);
    }
  });
  children.push(child);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')), 12000);
  force.unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() =>
    process.exit(code),
  );
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

ports.forEach((port) => start(`backend ${port}`, [backendMain, '--port', String(port), '--host', '127.0.0.1']));
const backends = ports.map((port, i) => `http://127.0.0.1:${port}=${weights[i]}`).join(',');
start('balancer', [
  balancerMain,
  '--port',
  '8080',
  '--host',
  '127.0.0.1',
  '--algo',
  algo,
  '--backends',
  backends,
  '--health-interval',
  '2s',
  '--lab',
]);

// Print the URLs once the balancer answers (bounded: 60 tries, 0.25 s apart).
async function announce() {
  for (let i = 0; i < 60 && !stopping; i++) {
    try {
      const res = await fetch('http://127.0.0.1:8080/api/info');
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (stopping) return;
  console.log(`
  Loadex demo is running (algorithm ${algo}, weights ${weights.join(',')})
    balancer   http://127.0.0.1:8080/
    dashboard  http://127.0.0.1:8080/dashboard
    metrics    http://127.0.0.1:8080/metrics
    API docs   http://127.0.0.1:8080/api/docs
    backends   ${ports.map((p) => `http://127.0.0.1:${p}`).join(' ')}
  Try: curl http://127.0.0.1:8080/   or   node bin/loadex.js health   or   node bin/loadex.js watch
  Ctrl-C stops everything.
`);
}
void announce();
