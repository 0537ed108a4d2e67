/*
 * The live stream: GET /api/events (Server-Sent Events), read with fetch() so that it carries the
 * admin token like every other call (EventSource cannot send headers, and with
 * --admin-protect-reads the stream needs the token). Reconnects by itself, backing off.
 */
import { fetchWithToken } from './api.js';
import { createParser } from './eventsource-parser/index.js';

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 15000;

/**
 * Opens the stream and keeps it open. Callbacks: onHistory(points) first on every connection (the
 * last five minutes, oldest first), onStats(snapshot), onPool(change),
 * onStatus("connecting" | "live" | "reconnecting"), onOpen() after every (re)connection, so the
 * page can resynchronise what it may have missed.
 */
export function connectLive({ onHistory, onStats, onPool, onStatus, onOpen }) {
  let current = null; // the AbortController of the open (or opening) stream
  let delay = MIN_DELAY_MS;
  let retry = null;

  const parser = createParser({
    onEvent(event) {
      if (event.event === 'stats') onStats(JSON.parse(event.data));
      else if (event.event === 'pool') onPool(JSON.parse(event.data));
      else if (event.event === 'history') onHistory(JSON.parse(event.data).points);
    },
  });

  /** Reads one connection until it ends; resolves with the answer's status. */
  const follow = async (signal) => {
    const res = await fetchWithToken('/api/events', { headers: { accept: 'text/event-stream' }, signal });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      return res.status;
    }
    delay = MIN_DELAY_MS;
    parser.reset();
    onStatus('live');
    onOpen();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return res.status;
      parser.feed(value);
    }
  };

  const open = () => {
    clearTimeout(retry);
    const controller = new AbortController();
    current = controller;
    onStatus('connecting');
    follow(controller.signal)
      .catch(() => 0) // the balancer went away, or the stream was closed
      .then((status) => {
        if (current !== controller) return; // replaced by reconnect()
        onStatus('reconnecting');
        // 401: the token was asked for and the user cancelled; Manual Refresh asks again.
        if (status === 401) return;
        retry = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      });
  };

  open();
  return {
    /** Closes and reopens the stream at once (Manual Refresh). */
    reconnect() {
      const previous = current;
      current = null;
      previous?.abort();
      delay = MIN_DELAY_MS;
      open();
    },
  };
}
