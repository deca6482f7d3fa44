import { IConstruct } from 'constructs';

/**
 * How serious a reported problem is.
 */
export enum Severity {
  /** Synth fails; nothing is written. */
  ERROR = 'error',
  /** Synth goes on; printed unless acknowledged. */
  WARNING = 'warning',
}

/**
 * One problem found in the runtime-stack graph.
 */
export interface Problem {
  /** Construct path of the element the problem is about, e.g. `acme/prod/main/orders`. */
  readonly path: string;
  /** Stable code a user can search for, e.g. `RS104`. */
  readonly code: string;
  /** The prop (or relation) that is wrong, e.g. `port` or `connections[0]`. */
  readonly prop: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Error or warning. */
  readonly severity: Severity;
}

/** Formats one problem as a single line, as printed in error messages. */
export function formatProblem(p: Problem): string {
  const prop = p.prop ? `${p.prop}: ` : '';
  return `  ${p.path}  [${p.code}] ${prop}${p.message}: ${p.fix}`;
}

/**
 * Thrown by `Platform.synth()` (and `Platform.render()`) when the graph has
 * errors. Nothing has been written when it is thrown.
 */
export class RuntimeStackValidationError extends Error {
  public readonly problems: Problem[];
  constructor(problems: Problem[]) {
    const n = problems.length;
    super(`${n} problem${n === 1 ? '' : 's'} in the runtime stack:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'RuntimeStackValidationError';
    this.problems = problems;
  }
}

/**
 * Collects the problems of one validation pass. Every construct of the
 * library reports into it, and so does every check added with
 * `Platform.addCheck`; the platform throws once with all of them, before
 * anything is rendered.
 */
export class ProblemCollector {
  private readonly items: Problem[] = [];

  /** Reports an error on `scope`. */
  public error(scope: IConstruct, code: string, prop: string, message: string, fix: string): void {
    this.items.push({ path: scope.node.path, code, prop, message, fix, severity: Severity.ERROR });
  }

  /** Reports a warning on `scope` (shown unless acknowledged). */
  public warning(scope: IConstruct, code: string, prop: string, message: string, fix: string): void {
    this.items.push({ path: scope.node.path, code, prop, message, fix, severity: Severity.WARNING });
  }

  /** The errors reported so far. */
  public get errors(): Problem[] {
    return this.items.filter(p => p.severity === Severity.ERROR);
  }

  /** The warnings reported so far. */
  public get warnings(): Problem[] {
    return this.items.filter(p => p.severity === Severity.WARNING);
  }
}

