import * as undici from 'undici';

/**
 * The undici engine takes Pool and buildConnector from their own files (undici-pools.ts), so a
 * thread never evaluates fetch, WebSocket or the caches. This fails when an undici release moves
 * them: the engine would then be building pools from something else than the package exports.
 */
describe('undici modules the engine loads', () => {
  it('are the package exports themselves', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    expect(require('undici/lib/dispatcher/pool.js')).toBe(undici.Pool);
    expect(require('undici/lib/core/connect.js')).toBe(undici.buildConnector);
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
});
