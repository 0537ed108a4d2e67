// The ceiling of Loadex's forwarding engine: the arrangement the core issue prescribes with nothing
// else around it. A node:http server, one http-proxy-middleware v4 instance per backend (its target
// a URL object built once), one shared keep-alive agent tuned as Loadex's, round robin, on
// 127.0.0.1:9314. No Nest, no health checks, no retries, no headers of its own, no metrics:
// whatever Loadex measures below this front is the price of what Loadex does per request.
// Takes Loadex's --port and --backends (and ignores its other flags), so a benchmark harness that
// starts Loadex can start it in Loadex's place (`npm run bench` runs it as the `hpm-bare` front).
'use strict';
const http = require('node:http');
const { parseArgs } = require('node:util');
const { createProxyMiddleware } = require('http-proxy-middleware');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9314' },
    backends: { type: 'string', default: [9301, 9302, 9303, 9304, 9305].map((p) => `http://127.0.0.1:${p}`).join(',') },
  },
  strict: false,
});

const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 1024, timeout: 4000, scheduling: 'lifo' });
const forwarders = String(values.backends)
  .split(',')
  .map((url) =>
    createProxyMiddleware({
      target: new URL(url),
      agent,
      ejectPlugins: true,
      plugins: [
        (proxy) =>
          proxy.on('error', (_err, _req, res) => {
            if (res && typeof res.writeHead === 'function' && !res.headersSent) {
              res.writeHead(502, { 'content-type': 'text/plain' });
            }
            res?.end?.('bad gateway\n');
          }),
      ],
    }),
  );
let next = 0;

http
  .createServer((req, res) => forwarders[next++ % forwarders.length](req, res))
  .listen(Number(values.port), '127.0.0.1');
