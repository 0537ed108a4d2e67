/* global EventSource */
/* The live stream: GET /api/events (Server-Sent Events), reconnecting by itself. */

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 15000;

/**
 * Opens the stream and keeps it open. Callbacks: onStats(snapshot), onPool(change),
 * onStatus("connecting" | "live" | "reconnecting"), onOpen() after every (re)connection, so the
 * page can resynchronise what it may have missed.
 */
export function connectLive({ onStats, onPool, onStatus, onOpen }) {
  let source = null;
  let delay = MIN_DELAY_MS;
  let retry = null;

  const open = () => {
    clearTimeout(retry);
    onStatus('connecting');
    source = new EventSource('/api/events');
    source.addEventListener('open', () => {
      delay = MIN_DELAY_MS;
      onStatus('live');
      onOpen();
    });
    source.addEventListener('stats', (event) => onStats(JSON.parse(event.data)));
    source.addEventListener('pool', (event) => onPool(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (the server answered an error or went away for good): try again
        // ourselves, backing off.
        source.close();
        onStatus('reconnecting');
        retry = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      } else {
        onStatus('reconnecting'); // the browser reconnects by itself
      }
    });
  };

  open();
  return {
    /** Closes and reopens the stream at once (Manual Refresh). */
    reconnect() {
      source?.close();
      delay = MIN_DELAY_MS;
      open();
    },
  };
}
