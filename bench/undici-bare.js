// The ceiling of Loadex's default engine: a bare undici `dispatch`-handler proxy with nothing else
// around it. A node:http server, one undici.Pool per backend (keep-alive 4 s, pipelining 1), round
// robin, hop-by-hop removal, X-Forwarded-For, backpressure (res.write() === false pauses the
// backend, drain resumes it) and abort when the client goes away, on 127.0.0.1:9315. No Nest, no
// health checks, no retries, no metrics: what Loadex measures below this is the price of its own work.
// Takes Loadex's --port and --backends (and ignores its other flags), so the reference harness can
// run it in Loadex's place: LOADEX_CMD="node bench/undici-bare.js" ../shared/bench/peers.sh
'use strict';
const http = require('node:http');
const { parseArgs } = require('node:util');
const { Pool } = require('undici');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9315' },
    backends: { type: 'string', default: [9301, 9302, 9303, 9304, 9305].map((p) => `http://127.0.0.1:${p}`).join(',') },
  },
  strict: false,
});

const pools = String(values.backends)
  .split(',')
  .map((url) => new Pool(url, { pipelining: 1, keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000 }));

const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

class Exchange {
  constructor(res) {
    this.res = res;
    this.controller = null;
    this.onDrain = null;
  }
  onRequestStart(controller) {
    this.controller = controller;
  }
  onResponseStart(controller, statusCode) {
    if (statusCode < 200) return;
    const raw = controller.rawHeaders;
    const headers = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toString('latin1');
      if (!HOP.has(name.toLowerCase())) headers.push(name, raw[i + 1].toString('latin1'));
    }
    this.res.writeHead(statusCode, headers);
  }
  onResponseData(controller, chunk) {
    if (this.res.write(chunk) === false) {
      controller.pause();
      this.res.once('drain', (this.onDrain ??= () => controller.resume()));
    }
  }
  onResponseEnd() {
    this.res.end();
  }
  onResponseError(_controller, _err) {
    if (!this.res.headersSent) this.res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway\n');
    else this.res.destroy();
  }
}

function onClose() {
  if (!this.writableFinished) this.exchange.controller?.abort(new Error('client gone'));
}

let next = 0;
http
  .createServer((req, res) => {
    const raw = req.rawHeaders;
    const headers = [];
    for (let i = 0; i < raw.length; i += 2) {
      if (!HOP.has(raw[i].toLowerCase())) headers.push(raw[i], raw[i + 1]);
    }
    const prior = req.headers['x-forwarded-for'];
    headers.push('x-forwarded-for', prior ? `${prior}, ${req.socket.remoteAddress}` : req.socket.remoteAddress);
    const exchange = new Exchange(res);
    res.exchange = exchange;
    res.on('close', onClose);
    const hasBody = (req.headers['content-length'] ?? '0') !== '0' || req.headers['transfer-encoding'] !== undefined;
    pools[next++ % pools.length].dispatch(
      { method: req.method, path: req.url, headers, body: hasBody ? req : null, reset: req.method === 'HEAD' ? false : undefined },
      exchange,
    );
  })
  .listen(Number(values.port), '127.0.0.1');
