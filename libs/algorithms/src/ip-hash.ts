import type { Backend } from '@loadex/pool';
import type { Algorithm, RequestInfo } from './algorithm';

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
      const score = -backend.weight / Math.log(u);
      if (score > bestScore) {
        best = backend;
        bestScore = score;
      }
    }
    return best;
  }
}

const FNV_OFFSET = 0x811c9dc5;

function fnv1a(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: spreads FNV's low-entropy output over all 32 bits. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
