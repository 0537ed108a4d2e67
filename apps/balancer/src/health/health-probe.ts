import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ProbeOutcome {
  passed: boolean;
  detail: string;
}

/**
 * One active check: GET `path` on a fresh connection, bounded by `timeoutMs`. 200 passes;
 * any other status, an error or no answer in time fails.
 */
export function probe(target: URL, path: string, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(new URL(path, target), { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve({ passed: res.statusCode === 200, detail: `HTTP ${res.statusCode}` });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ passed: false, detail: err.code ?? err.message }));
    req.end();
  });
}
