/**
 * Fargate runs a task with one of a fixed set of CPU and memory sizes
 * (Amazon ECS Developer Guide, "Task CPU and memory"): CPU in units
 * (1024 = 1 vCPU), memory in MiB.
 */
const SIZES: ReadonlyArray<{ readonly cpu: number; readonly memory: readonly number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: steps(1024, 4096, 1024) },
  { cpu: 1024, memory: steps(2048, 8192, 1024) },
  { cpu: 2048, memory: steps(4096, 16384, 1024) },
  { cpu: 4096, memory: steps(8192, 30720, 1024) },
  { cpu: 8192, memory: steps(16384, 61440, 4096) },
  { cpu: 16384, memory: steps(32768, 122880, 8192) },
];

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
}

/** A Fargate task size. */
export interface TaskSize {
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Memory in MiB. */
  readonly memory: number;
}

/** Whether Fargate runs a task of `cpu` units and `memory` MiB. */
export function isTaskSize(size: TaskSize): boolean {
  return SIZES.some(s => s.cpu === size.cpu && s.memory.includes(size.memory));
}

/**
 * The valid size nearest to `size`: the smallest that holds both its CPU
 * and its memory, or the largest there is when none does.
 */
export function nearestTaskSize(size: TaskSize): TaskSize {
  for (const s of SIZES) {
    if (s.cpu < size.cpu) continue;
    const memory = s.memory.find(m => m >= size.memory);
    if (memory !== undefined) return { cpu: s.cpu, memory };
  }
  const last = SIZES[SIZES.length - 1];
  return { cpu: last.cpu, memory: last.memory[last.memory.length - 1] };
}

/** A task size in the notation of the workload props (`cpuLimit`, `memoryLimit`). */
export function describeTaskSize(size: TaskSize): string {
  const cpu = size.cpu % 1024 === 0 ? String(size.cpu / 1024) : `${size.cpu * 1000 / 1024}m`;
  const memory = size.memory % 1024 === 0 ? `${size.memory / 1024}Gi` : `${size.memory}Mi`;
  return `cpuLimit "${cpu}", memoryLimit "${memory}"`;
}

