import { cronProblem, isHostName, isPinnedImage, looksSecret, parseCpu, parseImage, parseMemory } from '../../lib/private/validation';

describe('image references', () => {
  test.each([
    ['nginx', false],
    ['nginx:latest', false],
    ['nginx:1.27.3', true],
    ['ghcr.io/acme/orders:1.4.2', true],
    ['localhost:5000/acme/orders', false],
    ['localhost:5000/acme/orders:v2', true],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders@sha256:' + 'b'.repeat(64), true],
    ['ghcr.io/acme/orders:latest@sha256:' + 'c'.repeat(64), true],
  ])('%s is valid, pinned: %s', (ref, pinned) => {
    const parsed = parseImage(ref);
    expect(parsed).toBeDefined();
    expect(isPinnedImage(parsed!)).toBe(pinned);
  });

  test.each(['', 'Nginx', 'nginx:', 'nginx: 1', 'acme//orders', 'acme/orders@sha256:xyz', ':1.0', '-acme/orders'])('"%s" is malformed', ref => {
    expect(parseImage(ref)).toBeUndefined();
  });
});

describe('quantities', () => {
  test.each([['500m', 500], ['1', 1000], ['0.5', 500], ['.25', 250], ['2.5', 2500]])('cpu %s = %d millicores', (q, m) => {
    expect(parseCpu(q)).toBe(m);
  });
  test.each(['', '0', '1 core', '500M', '-1', 'm'])('cpu "%s" is malformed', q => expect(parseCpu(q)).toBeUndefined());
  test.each([['1Gi', 2 ** 30], ['512Mi', 512 * 2 ** 20], ['1G', 1e9], ['1000', 1000]])('memory %s = %d bytes', (q, b) => {
    expect(parseMemory(q)).toBe(b);
  });
  test.each(['', '1GB', '1gi', '512 Mi', '0'])('memory "%s" is malformed', q => expect(parseMemory(q)).toBeUndefined());
});

describe('secret-looking names', () => {
  test.each(['DB_PASSWORD', 'API_KEY', 'GITHUB_TOKEN', 'client-secret', 'DBPASSWORD', 'AWS_SECRET_ACCESS_KEY'])('%s looks secret', n => expect(looksSecret(n)).toBe(true));
  test.each(['LOG_LEVEL', 'MONKEY_MODE', 'KEYCLOAK_URL', 'TOKENIZER_MODEL'])('%s does not', n => expect(looksSecret(n)).toBe(false));
});

describe('host names', () => {
  test.each(['orders.acme.example.com', 'example.com', 'a-b.c9.io'])('%s is a host', h => expect(isHostName(h)).toBe(true));
  test.each(['orders', 'Orders.example.com', 'https://x.example.com', 'x.example.com:443', '*.example.com', 'x..com', '-a.example.com', '1.2.3.4'])('%s is not', h => expect(isHostName(h)).toBe(false));
});

describe('cron schedules', () => {
  test.each(['* * * * *', '*/5 * * * *', '0 3 * * 1-5', '30 3 1,15 * *', '0 0 1 JAN,JUL *', '0 9 * * MON-FRI', '0 0 * * 7', '0-30/10 * * * *',
    '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '0 0 ? * *'])('"%s" is valid', s => {
    expect(cronProblem(s)).toBeUndefined();
  });
  test.each(['', '* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '*/0 * * * *',
    '5-1 * * * *', '@every 5m', 'TZ=UTC 0 0 * * *', 'a b c d e'])('"%s" is invalid', s => {
    expect(cronProblem(s)).toBeDefined();
  });
});
