export * from './tier';
export * from './platform';
export * from './environment';
export * from './kubernetes-cluster';
export * from './needs';
export * from './support-services';
