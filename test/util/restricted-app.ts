/**
 * Test fixture: a chart built with cdk8s-plus-28 whose workloads meet the Pod Security
 * Standards "restricted" profile, plus a handful of other built-in kinds.
 *
 * cdk8s-plus-28 defaults already give: runAsNonRoot=true (pod + container), runAsUser 25000,
 * privileged=false, allowPrivilegeEscalation=false, readOnlyRootFilesystem=true.
 * What the defaults do NOT give (so restricted fails without it):
 *   - securityContext.capabilities.drop: [ALL]
 *   - securityContext.seccompProfile.type: RuntimeDefault (container level; cdk8s-plus-28's
 *     PodSecurityContextProps has no seccompProfile, so it must be set on every container)
 */
import { Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

export const RESTRICTED_CONTAINER_SECURITY: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

export function buildRestrictedChart(chart: Chart, suffix = ''): void {
  const ns = new kplus.Namespace(chart, `ns${suffix}`, { metadata: { name: `app${suffix}` } });
  const namespace = ns.name;

  const sa = new kplus.ServiceAccount(chart, `sa${suffix}`, { metadata: { namespace } });
  const cm = new kplus.ConfigMap(chart, `cm${suffix}`, { metadata: { namespace }, data: { 'app.conf': 'x=1' } });
  const secret = new kplus.Secret(chart, `secret${suffix}`, { metadata: { namespace }, stringData: { token: 'abc' } });

  const deployment = new kplus.Deployment(chart, `web${suffix}`, {
    metadata: { namespace },
    serviceAccount: sa,
    securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
    containers: [
      {
        name: 'web',
        image: 'ghcr.io/example/web:1.0.0',
        portNumber: 8080,
        securityContext: RESTRICTED_CONTAINER_SECURITY,
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
        },
        envVariables: { CONFIG: kplus.EnvValue.fromConfigMap(cm, 'app.conf') },
        volumeMounts: [
          { path: '/tmp', volume: kplus.Volume.fromEmptyDir(chart, `tmp${suffix}`, 'tmp') },
          { path: '/etc/secret', volume: kplus.Volume.fromSecret(chart, `secvol${suffix}`, secret) },
        ],
      },
    ],
  });
  deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });

  new kplus.HorizontalPodAutoscaler(chart, `hpa${suffix}`, {
    metadata: { namespace },
    target: deployment,
    minReplicas: 2,
    maxReplicas: 5,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
  });

  new kplus.k8s.KubePodDisruptionBudget(chart, `pdb${suffix}`, {
    metadata: { namespace },
    spec: { minAvailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { app: 'web' } } },
  });

  new kplus.NetworkPolicy(chart, `netpol${suffix}`, {
    metadata: { namespace },
    selector: deployment,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });

  new kplus.CronJob(chart, `cron${suffix}`, {
    metadata: { namespace },
    schedule: Cron.schedule({ minute: '0', hour: '3' }),
    activeDeadline: Duration.minutes(10),
    containers: [{ name: 'job', image: 'ghcr.io/example/job:1.0.0', securityContext: RESTRICTED_CONTAINER_SECURITY }],
  });

  new kplus.k8s.KubeStorageClass(chart, `sc${suffix}`, {
    metadata: { name: `fast${suffix}` },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  });

  const role = new kplus.Role(chart, `role${suffix}`, { metadata: { namespace } });
  role.allowRead(cm);
  const binding = new kplus.RoleBinding(chart, `rb${suffix}`, { metadata: { namespace }, role });
  binding.addSubjects(sa);
}

/** Synthesizes the restricted fixture chart (optionally `copies` times) into plain objects. */
export function synthRestricted(copies = 1): Record<string, unknown>[] {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  for (let i = 0; i < copies; i++) buildRestrictedChart(chart, copies > 1 ? `-${i}` : '');
  return Testing.synth(chart) as Record<string, unknown>[];
}
