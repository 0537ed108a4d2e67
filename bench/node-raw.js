// The floor for Node: a bare node:http proxy with one keep-alive agent and round robin, bodies
// piped, on 127.0.0.1:9312. Nothing else: no health checks, no retries, no metrics.
'use strict';
const http = require('node:http');

const ports = [9301, 9302, 9303, 9304, 9305];
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let next = 0;

http
  .createServer((req, res) => {
    const port = ports[next++ % ports.length];
    const headers = { ...req.headers };
    delete headers.connection;
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent }, (ures) => {
      res.writeHead(ures.statusCode, ures.headers);
      ures.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway\n');
    });
    req.pipe(upstream);
  })
  .listen(9312, '127.0.0.1');
