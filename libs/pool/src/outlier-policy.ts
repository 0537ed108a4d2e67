/**
 * Passive outlier detection (Envoy's consecutive-5xx detector) and slow start, as the pool applies
 * them. Times are in ms of the pool's clock.
 */
export interface OutlierPolicy {
  /** 5xx answers or failed attempts in a row that eject a backend; 0 turns detection off. */
  readonly consecutive5xx: number;
  /** Base ejection time: the k-th ejection in a row lasts k × this, at most `MAX_EJECTION_MULTIPLIER` ×. */
  readonly ejectionMs: number;
  /** Never eject more than this share of the pool (at least one backend may always be ejected). */
  readonly maxEjectedPercent: number;
  /** Three health flips from active checks within this window hold a backend down; 0 = off. */
  readonly flapWindowMs: number;
}

export const MAX_EJECTION_MULTIPLIER = 10;

/** Health flips within `flapWindowMs` that count as flapping. */
export const FLAPS_TO_HOLD = 3;

/** What slow start begins at: a tenth of the backend's weight, growing linearly to all of it. */
export const SLOW_START_FLOOR = 0.1;

export const NO_OUTLIER_DETECTION: OutlierPolicy = {
  consecutive5xx: 0,
  ejectionMs: 30_000,
  maxEjectedPercent: 50,
  flapWindowMs: 0,
};
