export * from './backend';
export * from './backend-url';
export * from './pool-events';
export * from './server-pool';
export * from './pool.module';
export * from './admin-api.types';
export * from './instances-api.types';
