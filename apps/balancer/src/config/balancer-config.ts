import type { ValidatedSettings } from './settings-schema';

export type { BackendSpec, ForwardingEngine } from './setting-values';

/**
 * The balancer's settings after flags, environment and config file are merged and validated:
 * derived from the settings registry (`settings-registry.ts`), one property per setting. `instance`
 * defaults to `hostname:port`, which depends on another setting, and `algorithmDefaults` gathers
 * the algorithm-option settings by algorithm, so `loadConfig` fills both in.
 */
export type BalancerConfig = Readonly<
  ValidatedSettings & {
    instance: string;
    /** Options per algorithm name from --hash-key, --hash-balance-factor, --ewma-decay: used whenever that algorithm is chosen. */
    algorithmDefaults: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  }
>;

export const BALANCER_CONFIG = Symbol('BALANCER_CONFIG');
