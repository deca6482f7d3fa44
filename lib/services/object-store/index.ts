export * from './object-store';
export * from './defaults';
