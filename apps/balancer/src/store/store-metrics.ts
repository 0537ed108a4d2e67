import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { StoreConnection } from './store-connection';
import { StoreSync } from './store-sync';

/** `golb_store_up` (1 while the store answers) and `golb_store_version` (the control state applied). */
export const storeMetricProviders = [
  makeGaugeProvider({
    name: 'golb_store_up',
    help: '1 while the --store Redis answers, 0 while this replica serves with its last applied state',
    inject: [StoreConnection],
    collect(this: Gauge<string>, connection: StoreConnection) {
      this.set(connection.up ? 1 : 0);
    },
  }),
  makeGaugeProvider({
    name: 'golb_store_version',
    help: 'version of the shared control state this replica has applied',
    inject: [StoreSync],
    collect(this: Gauge<string>, sync: StoreSync) {
      this.set(sync.version);
    },
  }),
];
