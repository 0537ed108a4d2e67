import type { ValidatedSettings } from './settings-schema';

export type { BackendSpec } from './setting-values';

/**
 * The balancer's settings after flags, environment and config file are merged and validated:
 * derived from the settings registry (`settings-registry.ts`), one property per setting.
 */
export type BalancerConfig = Readonly<ValidatedSettings>;

export const BALANCER_CONFIG = Symbol('BALANCER_CONFIG');
