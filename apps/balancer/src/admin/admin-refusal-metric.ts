import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

/** Admin requests refused, by reason (see `AdminRefusalReason`). */
export const ADMIN_REFUSED_METRIC = 'golb_admin_refused_total';

export const adminRefusedCounterProvider = makeCounterProvider({
  name: ADMIN_REFUSED_METRIC,
  help: 'Admin requests refused, by reason (host: not a Host the admin API answers to; cross-site: Origin or Sec-Fetch-Site from another site; not-allowed: client outside --admin-allow; token: missing or wrong --admin-token).',
  labelNames: ['reason'],
});
