/** Small, allocation-free string hashes shared by the hashing algorithms. */

export const FNV_OFFSET = 0x811c9dc5;

/** 32-bit FNV-1a over `text[start, end)`, continuing from `seed`. */
export function fnv1a(text: string, seed = FNV_OFFSET, start = 0, end = text.length): number {
  let h = seed;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: spreads FNV's low-entropy output over all 32 bits. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
