export * from './cache';
export * from './defaults';
