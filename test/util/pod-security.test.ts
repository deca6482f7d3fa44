import { Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectBaseline, expectRestricted, podSecurityViolations } from './pod-security';
import { RESTRICTED_CONTAINER_SECURITY, synthRestricted } from './restricted-app';
import { validateManifests } from './schema';

type Obj = Record<string, unknown>;

/** A minimal, fully restricted Pod; each test breaks one thing. */
function goodPod(): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'img',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}
type PodSpec = { securityContext: Obj; containers: Obj[]; initContainers?: Obj[]; ephemeralContainers?: Obj[]; volumes: Obj[] } & Obj;
const spec = (pod: Obj): PodSpec => pod.spec as PodSpec;
const c0 = (pod: Obj): Obj => spec(pod).containers[0];
const c0sc = (pod: Obj): Obj => c0(pod).securityContext as Obj;

/** Asserts exactly one violation, for the given rule. */
function expectOnly(pod: Obj, rule: string, level: 'restricted' | 'baseline' = 'restricted'): string {
  const v = podSecurityViolations([pod], { level });
  expect(v).toHaveLength(1);
  expect(v[0]).toContain(`: ${rule}: `);
  return v[0];
}

describe('accepts compliant workloads', () => {
  test('hand-written restricted pod (pod-level runAsNonRoot + seccomp)', () => {
    expect(podSecurityViolations([goodPod()])).toEqual([]);
    expect(validateManifests([goodPod()], { crdDirs: [] })).toEqual([]);
  });

  test('cdk8s-plus-28 chart with restricted container securityContext (Deployment + CronJob)', () => {
    const docs = synthRestricted();
    expect(podSecurityViolations(docs)).toEqual([]);
    expectRestricted(docs);
  });

  test('cdk8s-plus-28 defaults are NOT restricted: they miss drop ALL and seccomp', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'd', {
      metadata: { namespace: 'app' },
      containers: [{ name: 'web', image: 'img', portNumber: 8080 }],
    });
    const docs = Testing.synth(chart);
    expect(podSecurityViolations(docs).map((v) => v.replace(/^Deployment app\/\S+ /, ''))).toEqual([
      'container "web": restricted/seccomp: seccompProfile.type must be RuntimeDefault or Localhost in the container or pod securityContext',
      'container "web": restricted/capabilities: securityContext.capabilities.drop must include ALL',
    ]);
    expect(podSecurityViolations(docs, { level: 'baseline' })).toEqual([]);
    expectBaseline(docs);
    expect(() => expectRestricted(docs)).toThrow(/2 Pod Security Standards \(restricted\) violation\(s\)/);
  });

  test('cdk8s-plus-28 Deployment made restricted with container securityContext props', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'd', {
      metadata: { namespace: 'app' },
      containers: [{ name: 'web', image: 'img', portNumber: 8080, securityContext: RESTRICTED_CONTAINER_SECURITY }],
      initContainers: [{ name: 'init', image: 'img', securityContext: RESTRICTED_CONTAINER_SECURITY }],
    });
    const docs = Testing.synth(chart);
    expectRestricted(docs);
    expect(validateManifests(docs, { crdDirs: [] })).toEqual([]);
  });

  test('NET_BIND_SERVICE may be added; container-level settings may replace pod-level ones', () => {
    const pod = goodPod();
    spec(pod).securityContext = {};
    Object.assign(c0sc(pod), {
      runAsNonRoot: true,
      seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' },
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
    expect(podSecurityViolations([pod])).toEqual([]);
  });

  test('kinds without pod templates are ignored', () => {
    expect(podSecurityViolations([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, 'junk', null])).toEqual([]);
  });
});

describe('baseline rules', () => {
  test.each(['hostNetwork', 'hostPID', 'hostIPC'])('%s', (f) => {
    const pod = goodPod();
    spec(pod)[f] = true;
    expect(expectOnly(pod, 'baseline/host-namespaces')).toBe(`Pod ns/p pod: baseline/host-namespaces: ${f} must be unset or false`);
  });

  test('privileged', () => {
    const pod = goodPod();
    c0sc(pod).privileged = true;
    expect(expectOnly(pod, 'baseline/privileged')).toBe('Pod ns/p container "app": baseline/privileged: securityContext.privileged must be unset or false');
  });

  test('hostProcess (pod and container)', () => {
    const pod = goodPod();
    spec(pod).securityContext.windowsOptions = { hostProcess: true };
    expectOnly(pod, 'baseline/host-process');
    const pod2 = goodPod();
    c0sc(pod2).windowsOptions = { hostProcess: true };
    expectOnly(pod2, 'baseline/host-process');
  });

  test('hostPath volume', () => {
    const pod = goodPod();
    spec(pod).volumes.push({ name: 'host', hostPath: { path: '/var/run' } });
    expect(expectOnly(pod, 'baseline/host-path-volumes')).toContain('volume "host" uses hostPath');
  });

  test('hostPort', () => {
    const pod = goodPod();
    c0(pod).ports = [{ containerPort: 80, hostPort: 80 }];
    expectOnly(pod, 'baseline/host-ports');
    c0(pod).ports = [{ containerPort: 80, hostPort: 0 }];
    expect(podSecurityViolations([pod])).toEqual([]);
  });

  test('capabilities beyond the baseline set', () => {
    const pod = goodPod();
    c0sc(pod).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] };
    expect(expectOnly(pod, 'baseline/capabilities')).toContain('SYS_ADMIN');
    expectOnly(pod, 'baseline/capabilities', 'baseline');
  });

  test('unsafe sysctl', () => {
    const pod = goodPod();
    spec(pod).securityContext.sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '1' }];
    expect(expectOnly(pod, 'baseline/sysctls')).toContain('"kernel.msgmax"');
  });

  test('procMount Unmasked', () => {
    const pod = goodPod();
    c0sc(pod).procMount = 'Unmasked';
    expectOnly(pod, 'baseline/proc-mount');
  });

  test('SELinux custom type, user, role', () => {
    const pod = goodPod();
    c0sc(pod).seLinuxOptions = { type: 'spc_t' };
    expectOnly(pod, 'baseline/selinux');
    const pod2 = goodPod();
    spec(pod2).securityContext.seLinuxOptions = { user: 'system_u', role: 'system_r', type: 'container_t', level: 's0:c1' };
    expect(podSecurityViolations([pod2]).map((v) => v.split(': ')[1])).toEqual(['baseline/selinux', 'baseline/selinux']);
  });

  test('AppArmor unconfined (annotation and field)', () => {
    const pod = goodPod();
    (pod.metadata as Obj).annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    expectOnly(pod, 'baseline/apparmor');
    (pod.metadata as Obj).annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/my-profile' };
    expect(podSecurityViolations([pod])).toEqual([]);
    c0sc(pod).appArmorProfile = { type: 'Unconfined' };
    expectOnly(pod, 'baseline/apparmor');
  });

  test('seccomp Unconfined', () => {
    const pod = goodPod();
    c0sc(pod).seccompProfile = { type: 'Unconfined' };
    expectOnly(pod, 'baseline/seccomp');
  });
});

describe('restricted rules', () => {
  test('volume types', () => {
    const pod = goodPod();
    spec(pod).volumes.push({ name: 'nfs', nfs: { server: 'x', path: '/' } }, { name: 'pvc', persistentVolumeClaim: { claimName: 'c' } });
    expect(expectOnly(pod, 'restricted/volume-types')).toContain('volume "nfs" uses type "nfs"');
    expect(podSecurityViolations([pod], { level: 'baseline' })).toEqual([]);
  });

  test('allowPrivilegeEscalation must be false', () => {
    const pod = goodPod();
    delete c0sc(pod).allowPrivilegeEscalation;
    expectOnly(pod, 'restricted/privilege-escalation');
    c0sc(pod).allowPrivilegeEscalation = true;
    expectOnly(pod, 'restricted/privilege-escalation');
  });

  test('runAsNonRoot: unset everywhere, or false in a container', () => {
    const pod = goodPod();
    delete spec(pod).securityContext.runAsNonRoot;
    expect(expectOnly(pod, 'restricted/run-as-non-root')).toContain('container "app"');
    const pod2 = goodPod();
    c0sc(pod2).runAsNonRoot = false;
    expectOnly(pod2, 'restricted/run-as-non-root');
    const pod3 = goodPod();
    spec(pod3).securityContext.runAsNonRoot = false;
    expect(podSecurityViolations([pod3]).filter((v) => v.includes('restricted/run-as-non-root'))).toHaveLength(2);
  });

  test('runAsUser 0 (pod or container)', () => {
    const pod = goodPod();
    spec(pod).securityContext.runAsUser = 0;
    expect(expectOnly(pod, 'restricted/run-as-user')).toContain(' pod: ');
    const pod2 = goodPod();
    c0sc(pod2).runAsUser = 0;
    expect(expectOnly(pod2, 'restricted/run-as-user')).toContain('container "app"');
  });

  test('seccomp unset everywhere', () => {
    const pod = goodPod();
    delete spec(pod).securityContext.seccompProfile;
    expectOnly(pod, 'restricted/seccomp');
  });

  test('capabilities: must drop ALL, may add only NET_BIND_SERVICE', () => {
    const pod = goodPod();
    c0sc(pod).capabilities = { drop: ['NET_RAW'] };
    expectOnly(pod, 'restricted/capabilities');
    c0sc(pod).capabilities = { drop: ['ALL'], add: ['CHOWN'] };
    expect(expectOnly(pod, 'restricted/capabilities')).toContain('may only add NET_BIND_SERVICE, adds CHOWN');
    expect(podSecurityViolations([pod], { level: 'baseline' })).toEqual([]);
  });

  test('initContainers and ephemeralContainers are checked too', () => {
    const pod = goodPod();
    spec(pod).initContainers = [{ name: 'init', image: 'i', securityContext: { capabilities: { drop: ['ALL'] } } }];
    spec(pod).ephemeralContainers = [{ name: 'debug', image: 'i', securityContext: { privileged: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }];
    expect(podSecurityViolations([pod])).toEqual([
      'Pod ns/p initContainer "init": restricted/privilege-escalation: securityContext.allowPrivilegeEscalation must be false',
      'Pod ns/p ephemeralContainer "debug": baseline/privileged: securityContext.privileged must be unset or false',
    ]);
  });

  test('Windows pods are exempt from Linux-only controls', () => {
    const pod = goodPod();
    spec(pod).os = { name: 'windows' };
    delete spec(pod).securityContext.seccompProfile;
    c0(pod).securityContext = {};
    expect(podSecurityViolations([pod])).toEqual([]);
  });
});

describe('finds pod templates in every workload kind', () => {
  const badSpec = { containers: [{ name: 'c', image: 'i', securityContext: { privileged: true } }] };
  const template = { metadata: { labels: { a: 'b' } }, spec: badSpec };
  const docs: Obj[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'n' }, spec: badSpec },
    ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((kind) => ({
      apiVersion: 'apps/v1', kind, metadata: { name: kind.toLowerCase(), namespace: 'n' }, spec: { template },
    })),
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'n' }, spec: { template } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cron', namespace: 'n' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } },
  ];

  test('baseline violation reported once per workload with kind/namespace/name/container', () => {
    expect(podSecurityViolations(docs, { level: 'baseline' })).toEqual(
      ['Pod pod', 'Deployment deployment', 'StatefulSet statefulset', 'DaemonSet daemonset', 'ReplicaSet replicaset', 'Job job', 'CronJob cron'].map(
        (x) => {
          const [kind, name] = x.split(' ');
          return `${kind} n/${name} container "c": baseline/privileged: securityContext.privileged must be unset or false`;
        },
      ),
    );
  });

  test('a cdk8s-plus-28 CronJob without restricted props is caught', () => {
    const chart = new Chart(Testing.app(), 'c');
    new kplus.CronJob(chart, 'cj', {
      metadata: { namespace: 'batch' },
      schedule: Cron.daily(),
      containers: [{ name: 'job', image: 'img' }],
    });
    const v = podSecurityViolations(Testing.synth(chart));
    expect(v.length).toBe(2);
    expect(v[0]).toMatch(/^CronJob batch\/c-cj-\w+ container "job": restricted\/seccomp: /);
  });
});
