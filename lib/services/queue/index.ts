export * from './queue';
export * from './defaults';
