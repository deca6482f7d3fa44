export * from './managed-postgres';
export * from './defaults';
