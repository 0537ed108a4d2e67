// The ceiling of Loadex's forwarding engine: the arrangement the core issue prescribes with nothing
// else around it. A node:http server, one http-proxy-middleware v4 instance per backend (its target
// a URL object built once), one shared keep-alive agent tuned as Loadex's, round robin, on
// 127.0.0.1:9314. No Nest, no health checks, no retries, no headers of its own, no metrics:
// whatever Loadex measures below this front is the price of what Loadex does per request.
'use strict';
const http = require('node:http');
const { createProxyMiddleware } = require('http-proxy-middleware');

const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 1024, timeout: 4000, scheduling: 'lifo' });
const forwarders = [9301, 9302, 9303, 9304, 9305].map((port) =>
  createProxyMiddleware({
    target: new URL(`http://127.0.0.1:${port}`),
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

http.createServer((req, res) => forwarders[next++ % forwarders.length](req, res)).listen(9314, '127.0.0.1');
