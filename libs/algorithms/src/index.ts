export * from './algorithm';
export * from './active-algorithm';
export * from './algorithm.module';
export * from './create-algorithm';
export * from './ip-hash';
export * from './least-connection';
export * from './round-robin';
export * from './weighted-round-robin';
