import type { IServiceHost } from './in-cluster';

/** Whether `x` can host services (duck-typed: the core knows no runtime). */
export function isServiceHost(x: unknown): x is IServiceHost {
  return typeof (x as IServiceHost | undefined)?.hostPostgres === 'function';
}
