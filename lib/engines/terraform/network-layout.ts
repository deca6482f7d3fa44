/**
 * Subnet CIDRs of a new VPC, laid out as aws-cdk-lib's `ec2.Vpc` lays them
 * out: for each subnet group in order, one subnet per zone, each taking the
 * next free block of its size (aligned to that size). Both engines give the
 * same CIDRs, so Kubernetes network policies are the same whichever engine
 * builds the VPC.
 */
export function subnetLayout(vpcCidr: string, zones: string[], masks: number[]): string[][] {
  const [address, prefix] = vpcCidr.split('/');
  const vpcMask = Number(prefix);
  const vpcStart = toNumber(address);
  const vpcEnd = vpcStart + 2 ** (32 - vpcMask);
  let next = vpcStart;
  return masks.map(mask => zones.map(() => {
    const size = 2 ** (32 - mask);
    const start = Math.ceil(next / size) * size;
    if (mask < vpcMask || start + size > vpcEnd) {
      throw new Error(`VPC ${vpcCidr} has no room for ${zones.length} /${mask} subnets after the ones before: give a larger vpcCidr.`);
    }
    next = start + size;
    return `${toAddress(start)}/${mask}`;
  }));
}

function toNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map(shift => Math.floor(n / 2 ** shift) % 256).join('.');
}
