import { cronProblem } from '../../../lib/private/validation';
import { routePriorities } from '../../../lib/runtimes/fargate/routes';
import { schedulerCron } from '../../../lib/runtimes/fargate/schedule';
import { describeTaskSize, isTaskSize, nearestTaskSize } from '../../../lib/runtimes/fargate/task-size';

describe('Kubernetes schedules as EventBridge Scheduler cron expressions', () => {
  test.each([
    ['30 3 * * *', 'cron(30 3 * * ? *)'],
    ['*/15 * * * *', 'cron(0/15 * * * ? *)'],
    ['0 */6 1-15 * *', 'cron(0 0/6 1-15 * ? *)'],
    ['0 9 * * 1-5', 'cron(0 9 ? * MON,TUE,WED,THU,FRI *)'],
    ['0 9 * * 0', 'cron(0 9 ? * SUN *)'],
    ['0 9 * * 7', 'cron(0 9 ? * SUN *)'],
    ['0 9 * * 5-7', 'cron(0 9 ? * FRI,SAT,SUN *)'],
    ['0 9 * * sat,sun', 'cron(0 9 ? * SAT,SUN *)'],
    ['0 0 1 jan *', 'cron(0 0 1 jan ? *)'],
    ['0 0 ? * *', 'cron(0 0 * * ? *)'],
    ['5-20/5 * * * *', 'cron(5,10,15,20 * * * ? *)'],
    ['10/15 * * * *', 'cron(10/15 * * * ? *)'],
    ['0 3 1/5 * *', 'cron(0 3 1/5 * ? *)'],
    ['0 3 1 JAN-DEC/3 *', 'cron(0 3 1 1,4,7,10 ? *)'],
    ['@daily', 'cron(0 0 * * ? *)'],
    ['@weekly', 'cron(0 0 ? * SUN *)'],
    ['@hourly', 'cron(0 * * * ? *)'],
  ])('%s -> %s', (k8s, eventBridge) => {
    expect(cronProblem(k8s)).toBeUndefined();
    expect(schedulerCron(k8s)).toEqual({ expression: eventBridge });
  });

  test.each([
    ['0 3 1 * 1', /names both a day of month \(1\) and a day of week \(1\)/],
    ['0 3 * * */2', /step in the day of week/],
  ])('%s has none', (k8s, problem) => {
    expect(cronProblem(k8s)).toBeUndefined();
    expect((schedulerCron(k8s) as { problem: string }).problem).toMatch(problem);
  });
});

describe('Fargate task sizes', () => {
  test('the valid combinations of the ECS Developer Guide', () => {
    expect(isTaskSize({ cpu: 256, memory: 512 })).toBe(true);
    expect(isTaskSize({ cpu: 256, memory: 3072 })).toBe(false);
    expect(isTaskSize({ cpu: 1024, memory: 8192 })).toBe(true);
    expect(isTaskSize({ cpu: 4096, memory: 30720 })).toBe(true);
    expect(isTaskSize({ cpu: 8192, memory: 20480 })).toBe(true);
    expect(isTaskSize({ cpu: 8192, memory: 17408 })).toBe(false);
    expect(isTaskSize({ cpu: 16384, memory: 122880 })).toBe(true);
    expect(isTaskSize({ cpu: 768, memory: 2048 })).toBe(false);
  });

  test('the nearest: the smallest that holds both, or the largest there is', () => {
    expect(nearestTaskSize({ cpu: 1024, memory: 1024 })).toEqual({ cpu: 1024, memory: 2048 });
    expect(nearestTaskSize({ cpu: 3072, memory: 5120 })).toEqual({ cpu: 4096, memory: 8192 });
    expect(nearestTaskSize({ cpu: 256, memory: 3072 })).toEqual({ cpu: 512, memory: 3072 });
    expect(nearestTaskSize({ cpu: 32768, memory: 1024 })).toEqual({ cpu: 16384, memory: 122880 });
    expect(describeTaskSize({ cpu: 256, memory: 512 })).toBe('cpuLimit "250m", memoryLimit "512Mi"');
    expect(describeTaskSize({ cpu: 2048, memory: 4096 })).toBe('cpuLimit "2", memoryLimit "4Gi"');
  });
});

describe('listener-rule priorities', () => {
  const app = (host: string, path?: string) => ({ construct: undefined as any, name: `${host}${path ?? ''}`, host, path, hasClients: () => false });

  test('unique, deterministic, and deeper paths of a host first', () => {
    const apps = [app('a.example.com'), app('a.example.com', '/api'), app('a.example.com', '/api/v2'), app('b.example.com')];
    const p = routePriorities(apps);
    expect(new Set(p.values()).size).toBe(4);
    expect(p.get(apps[2])!).toBeLessThan(p.get(apps[1])!);
    expect(p.get(apps[1])!).toBeLessThan(p.get(apps[0])!);
    for (const v of p.values()) expect(v >= 1 && v <= 50000).toBe(true);
    const again = routePriorities([...apps].reverse());
    for (const a of apps) expect(again.get(a)).toBe(p.get(a));
  });

  test('adding a deeper path of the same host renumbers none of its other routes', () => {
    const root = app('a.example.com');
    const api = app('a.example.com', '/api');
    const before = routePriorities([root, api]);
    const after = routePriorities([root, api, app('a.example.com', '/api/v2'), app('a.example.com', '/docs/')]);
    expect(after.get(root)).toBe(before.get(root));
    expect(after.get(api)).toBe(before.get(api));
  });

  test('adding or removing another host\'s app leaves an app\'s priority as it is', () => {
    const api = app('api.example.com');
    const alone = routePriorities([api]).get(api);
    const others = Array.from({ length: 50 }, (_, i) => app(`app${i}.example.com`));
    expect(routePriorities([...others, api]).get(api)).toBe(alone);
  });
});
