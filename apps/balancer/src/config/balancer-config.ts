import type { ValidatedSettings } from './settings-schema';

export type { BackendSpec } from './setting-values';

/**
 * The balancer's settings after flags, environment and config file are merged and validated:
 * derived from the settings registry (`settings-registry.ts`), one property per setting. `instance`
 * defaults to `hostname:port`, which depends on another setting, so `loadConfig` fills it in.
 */
export type BalancerConfig = Readonly<ValidatedSettings & { instance: string }>;

export const BALANCER_CONFIG = Symbol('BALANCER_CONFIG');
