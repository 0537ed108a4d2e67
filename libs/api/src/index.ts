export * from './admin-api.types';
