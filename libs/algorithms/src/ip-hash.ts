import type { Backend } from '@loadex/pool';
import { z } from 'zod';
import { type Algorithm, defineAlgorithm, type RequestInfo } from './algorithm';
import { fmix, fnv1a, FNV_OFFSET } from './hashing';

/**
 * Rendezvous (highest-random-weight) hashing of the client address: each client goes to the
 * backend with the highest score for (client, backend). When a backend leaves, only its clients
 * move; when it returns, they move back. Weighted with the logarithmic method.
 */
export class IpHash implements Algorithm {
  readonly name = 'iphash';

  pick(candidates: readonly Backend[], request: RequestInfo): Backend | undefined {
    let best: Backend | undefined;
    let bestScore = -Infinity;
    const clientHash = fnv1a(request.clientIp, FNV_OFFSET);
    for (const backend of candidates) {
      const h = fmix(fnv1a(backend.url, clientHash));
      // Map the hash to (0, 1), then score = -w / ln(u): the weighted rendezvous score.
      const u = (h + 1) / 4294967297;
      const score = -backend.effectiveWeight / Math.log(u);
      if (score > bestScore) {
        best = backend;
        bestScore = score;
      }
    }
    return best;
  }
}

export const ipHashAlgorithm = defineAlgorithm({
  name: 'iphash',
  title: 'IP hash',
  aliases: ['ip'],
  description: 'The same client address always goes to the same backend (weighted rendezvous hashing).',
  options: z.strictObject({}),
  create: () => new IpHash(),
});
