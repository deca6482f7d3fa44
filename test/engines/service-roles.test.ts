import { ServiceRoleIntent } from '../../lib/engines/intents';
import { ServiceRoles } from '../../lib/engines/service-roles';

const role = (description: string): ServiceRoleIntent => ({
  key: 'rds-enhanced-monitoring',
  roleName: 'acme-prod-rds-monitoring-role',
  description,
  servicePrincipal: 'monitoring.rds.amazonaws.com',
  managedPolicies: [{ name: 'service-role/AmazonRDSEnhancedMonitoringRole', reason: 'the only way to grant it' }],
});

describe('ServiceRoles: one role per key for both engines', () => {
  test('the first request makes the role; later ones with the same definition get it, unmade', () => {
    const roles = new ServiceRoles<{ n: number }>('acme/prod');
    let made = 0;
    const make = () => ({ n: ++made });
    const first = roles.get(role('monitoring'), make);
    expect(roles.get(role('monitoring'), make)).toBe(first);
    expect(roles.get({ ...role('monitoring'), key: 'other', roleName: 'acme-prod-other' }, make)).toEqual({ n: 2 });
    expect(made).toBe(2);
  });

  test('the same key with another definition is a library bug, named with the environment', () => {
    const roles = new ServiceRoles<object>('acme/prod');
    roles.get(role('monitoring'), () => ({}));
    expect(() => roles.get(role('something else'), () => ({})))
      .toThrow('acme/prod: two different service roles under the key "rds-enhanced-monitoring" (a library bug)');
  });
});
