import { ConcurrencyPolicy, ScheduledJob, Tier, WebApp } from '../lib';
import { expectRestricted } from './util/pod-security';
import { expectValidManifests } from './util/schema';
import { objectOf, objectsOf, testCluster } from './util/workloads';

describe('ScheduledJob', () => {
  // GIVEN
  const { platform, cluster } = testCluster(Tier.PRODUCTION, { supportStub: false });
  const api = new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
  // WHEN
  const job = new ScheduledJob(cluster, 'report', {
    image: 'ghcr.io/acme/report:2.0.1',
    schedule: '@hourly',
    args: ['--since', '1h'],
    connections: [api],
  });
  new ScheduledJob(cluster, 'cleanup', {
    image: 'ghcr.io/acme/cleanup:1.0.0',
    schedule: '30 3 * * MON-FRI',
    timeZone: 'Europe/Paris',
    concurrencyPolicy: ConcurrencyPolicy.REPLACE,
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 5,
    backoffLimit: 0,
    activeDeadlineSeconds: 600,
  });
  const docs = platform.manifests()['dev/main'];

  test('every object is schema-valid and every pod restricted', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
  });

  test('a CronJob with the schedule as given and safe defaults', () => {
    const cron = objectOf(docs, 'CronJob', 'report', 'report');
    expect(cron.spec).toMatchObject({
      schedule: '@hourly',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(2);
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('report');
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(pod.containers[0].args).toEqual(['--since', '1h']);
    expect(pod.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(job.cronJob.name).toBe('report');
  });

  test('concurrency policy, time zone and limits as given', () => {
    const cron = objectOf(docs, 'CronJob', 'cleanup');
    expect(cron.spec).toMatchObject({
      schedule: '30 3 * * MON-FRI',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: 'Replace',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
    });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600 });
  });

  test('connections work for jobs too: URL env var and egress; no disruption budget or autoscaler', () => {
    const cron = objectOf(docs, 'CronJob', 'report');
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].env).toEqual([{ name: 'API_URL', value: 'http://api.api.svc.cluster.local:8080' }]);
    expect(objectOf(docs, 'NetworkPolicy', 'report').spec.egress).toHaveLength(2);
    expect(objectOf(docs, 'NetworkPolicy', 'api').spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'report' } });
    expect(objectsOf(docs, 'PodDisruptionBudget').map(p => p.metadata.name)).toEqual(['api']);
  });
});
