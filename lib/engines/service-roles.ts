import type { ServiceRoleIntent } from './intents';

/**
 * The service roles an engine made for one environment, one per key: the
 * first request makes the role, later ones get the same; a key asked for
 * with another definition is a library bug, and says so (one rule for
 * both engines).
 */
export class ServiceRoles<T> {
  private readonly made = new Map<string, { readonly definition: string; readonly role: T }>();

  /** @param where names the environment in the error (its construct path; on Terraform, its stack). */
  constructor(private readonly where: string) {}

  public get(intent: ServiceRoleIntent, make: () => T): T {
    const definition = JSON.stringify(intent);
    const entry = this.made.get(intent.key);
    if (entry) {
      if (entry.definition !== definition) {
        throw new Error(`${this.where}: two different service roles under the key "${intent.key}" (a library bug)`);
      }
      return entry.role;
    }
    const role = make();
    this.made.set(intent.key, { definition, role });
    return role;
  }
}
