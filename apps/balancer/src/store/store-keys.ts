/**
 * Every key and channel Loadex uses in the store, under one prefix. The control state is four
 * keys changed together by one script (`control-script.ts`); each replica adds its heartbeat.
 */
export const STORE_PREFIX = 'loadex:';

export const STORE_KEYS = {
  /** Hash: backend origin → `{"weight":W,"state":"active"|"draining","seq":N}`. */
  backends: `${STORE_PREFIX}backends`,
  /** String: `{"name":"roundrobin","options":{}}`. */
  algorithm: `${STORE_PREFIX}algorithm`,
  /** Integer, bumped by every change; absent while the store is empty. */
  version: `${STORE_PREFIX}version`,
  /** Integer: the order backends were added in, the same on every replica. */
  seq: `${STORE_PREFIX}seq`,
  /** String: a random id written when the state is seeded, so a store that lost its data is noticed. */
  epoch: `${STORE_PREFIX}epoch`,
  /** Set of replica names that sent a heartbeat (names whose heartbeat expired are dropped on read). */
  instances: `${STORE_PREFIX}instances`,
} as const;

/** Pub/sub channel: every change publishes the new version here. */
export const CHANGES_CHANNEL = `${STORE_PREFIX}changes`;

/** One replica's heartbeat: its view as JSON, expiring after `HEARTBEAT_TTL_MS`. */
export function instanceKey(name: string): string {
  return `${STORE_PREFIX}instance:${name}`;
}

export const HEARTBEAT_INTERVAL_MS = 1000;
export const HEARTBEAT_TTL_MS = 5000;
