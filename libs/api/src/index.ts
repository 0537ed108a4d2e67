export * from './admin-api.types';
export * from './instances-api.types';
