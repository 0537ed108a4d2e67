export { Backend } from './backend';
export * from './backend-url';
export * from './pool-events';
export * from './server-pool';
export * from './pool.module';
export * from './signal';
export * from './outlier-policy';
export * from './shared-slots';
