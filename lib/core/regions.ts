/**
 * AWS regions the library knows, with the availability-zone suffixes that
 * new accounts can use. Synth never looks zones up: the cluster's VPC uses
 * the first zones listed here unless the user names them.
 *
 * Regions where a letter is not offered to new accounts are listed without
 * it (us-west-1 has only b and c; ap-northeast-1 has no b).
 */
export const AWS_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['a', 'b', 'c', 'd', 'f'],
  'us-east-2': ['a', 'b', 'c'],
  'us-west-1': ['b', 'c'],
  'us-west-2': ['a', 'b', 'c', 'd'],
  'af-south-1': ['a', 'b', 'c'],
  'ap-east-1': ['a', 'b', 'c'],
  'ap-east-2': ['a', 'b', 'c'],
  'ap-south-1': ['a', 'b', 'c'],
  'ap-south-2': ['a', 'b', 'c'],
  'ap-southeast-1': ['a', 'b', 'c'],
  'ap-southeast-2': ['a', 'b', 'c'],
  'ap-southeast-3': ['a', 'b', 'c'],
  'ap-southeast-4': ['a', 'b', 'c'],
  'ap-southeast-5': ['a', 'b', 'c'],
  'ap-southeast-7': ['a', 'b', 'c'],
  'ap-northeast-1': ['a', 'c', 'd'],
  'ap-northeast-2': ['a', 'b', 'c', 'd'],
  'ap-northeast-3': ['a', 'b', 'c'],
  'ca-central-1': ['a', 'b', 'd'],
  'ca-west-1': ['a', 'b', 'c'],
  'eu-central-1': ['a', 'b', 'c'],
  'eu-central-2': ['a', 'b', 'c'],
  'eu-west-1': ['a', 'b', 'c'],
  'eu-west-2': ['a', 'b', 'c'],
  'eu-west-3': ['a', 'b', 'c'],
  'eu-south-1': ['a', 'b', 'c'],
  'eu-south-2': ['a', 'b', 'c'],
  'eu-north-1': ['a', 'b', 'c'],
  'il-central-1': ['a', 'b', 'c'],
  'me-south-1': ['a', 'b', 'c'],
  'me-central-1': ['a', 'b', 'c'],
  'mx-central-1': ['a', 'b', 'c'],
  'sa-east-1': ['a', 'b', 'c'],
  'us-gov-east-1': ['a', 'b', 'c'],
  'us-gov-west-1': ['a', 'b', 'c'],
  'cn-north-1': ['a', 'b', 'd'],
  'cn-northwest-1': ['a', 'b', 'c'],
};

/** True when `region` is a region the library knows. */
export function isKnownRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(AWS_REGIONS, region);
}

/** The zone names of `region` (e.g. `eu-west-1a`), at most `max`. */
export function defaultAvailabilityZones(region: string, max: number): string[] {
  return (AWS_REGIONS[region] ?? []).slice(0, max).map(s => `${region}${s}`);
}

/** Closest known region names to `region`, for "did you mean" hints. */
export function suggestRegion(region: string): string | undefined {
  const names = Object.keys(AWS_REGIONS);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = editDistance(region.toLowerCase(), name);
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return bestDistance <= 3 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
