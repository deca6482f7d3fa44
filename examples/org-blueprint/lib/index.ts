/**
 * Acme's runtime blueprint: what every Acme team gets when it declares an
 * environment, a web app or a service. Built on cdk-runtime-stack's
 * extension points only (no `_` internals), so it compiles with jsii and
 * works from Python as well as TypeScript.
 */
import * as budgets from 'aws-cdk-lib/aws-budgets';
import {
  Application, CloudEngine, Environment, IPlatformCheck, IWorkloadRuntime, KubernetesCluster, ManagedPostgres, Platform,
  ProblemCollector, SupportServices, Tier, WebApp, WebAppProps, Workload,
} from 'cdk-runtime-stack';

/** The regions Acme runs in. */
export const ACME_REGIONS = ['eu-west-1', 'eu-central-1'];

/** Where Acme's images come from. */
export const ACME_REGISTRY = 'registry.acme.example/';

/** Acme's public DNS zone (every environment has a subdomain of it). */
export const ACME_ZONE_ID = 'Z0ACME0123456789ABCDE';

/**
 * Properties of an `AcmePlatform`.
 */
export interface AcmePlatformProps {
  /** The cost centre every Kubernetes object is labelled with. */
  readonly costCentre: string;
}

/**
 * Acme's platform: its cost centre on every Kubernetes object, and Acme's
 * rules checked with the library's, in one report.
 */
export class AcmePlatform extends Platform {
  constructor(props: AcmePlatformProps) {
    super({ name: 'acme', labels: { 'acme.example/cost-centre': props.costCentre } });
    Platform.addCheck(this, new AcmeRules(this));
  }
}

/**
 * Properties of an `AcmeEnvironment`.
 */
export interface AcmeEnvironmentProps {
  /** The tier. */
  readonly tier: Tier;
  /** The AWS account. */
  readonly account: string;
  /** The region: one of `ACME_REGIONS` (ACME001 otherwise). */
  readonly region: string;
  /** The monthly cost budget, in USD. @default 1000 */
  readonly monthlyBudget?: number;
}

/**
 * An Acme environment: one EKS cluster, `main`, with the support services
 * under `<id>.acme.example`, Acme's tags on every AWS resource, and a
 * monthly cost budget in its foundation stack (added by a render hook,
 * once the library has built the stack).
 */
export class AcmeEnvironment extends Environment {
  /** The environment's cluster. */
  public readonly cluster: KubernetesCluster;
  /** The environment's DNS domain. */
  public readonly domain: string;

  constructor(platform: Platform, id: string, props: AcmeEnvironmentProps) {
    super(platform, id, { tier: props.tier, account: props.account, region: props.region, tags: { 'acme:managed-by': 'runtime-blueprint' } });
    this.domain = `${id}.acme.example`;
    this.cluster = new KubernetesCluster(this, 'main', { adminRoleArns: [`arn:aws:iam::${props.account}:role/acme-platform-admin`] });
    new SupportServices(this.cluster, 'support', { domain: this.domain, acmeEmail: 'platform@acme.example', hostedZoneId: ACME_ZONE_ID });
    const amount = props.monthlyBudget ?? 1000;
    Platform.addRenderHook(this, {
      afterRender: () => {
        if (this.engine !== CloudEngine.CLOUDFORMATION) return;
        new budgets.CfnBudget(this.stack, 'MonthlyBudget', {
          budget: { budgetName: `${this.qualifiedName}-monthly`, budgetType: 'COST', timeUnit: 'MONTHLY', budgetLimit: { amount, unit: 'USD' } },
          notificationsWithSubscribers: [{
            notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80 },
            subscribers: [{ subscriptionType: 'EMAIL', address: 'finops@acme.example' }],
          }],
        });
      },
    });
  }
}

/**
 * Properties of an `AcmeWebApp`: a WebApp's, and the team that owns it.
 */
export interface AcmeWebAppProps extends WebAppProps {
  /** The owning team (a label on everything the app emits). */
  readonly team: string;
}

/**
 * A WebApp with Acme's defaults: its team as a label, its runbook as an
 * annotation, metrics scraped.
 */
export class AcmeWebApp extends WebApp {
  /** The owning team. */
  public readonly team: string;

  constructor(runtime: IWorkloadRuntime, id: string, props: AcmeWebAppProps) {
    super(runtime, id, {
      ...props,
      labels: { 'acme.example/team': props.team, ...props.labels },
      annotations: { 'acme.example/runbook': `https://runbooks.acme.example/${id}`, ...props.annotations },
    });
    this.team = props.team;
  }
}

/**
 * Properties of an `AcmeService`.
 */
export interface AcmeServiceProps {
  /** The image, from `ACME_REGISTRY` (ACME002 otherwise). */
  readonly image: string;
  /** The owning team. */
  readonly team: string;
  /** The public host, under the environment's domain. @default - no public host */
  readonly host?: string;
  /** The port the app listens on. @default 8080 */
  readonly port?: number;
}

/**
 * An Acme service: a web app with its own PostgreSQL database, as one
 * construct. The database is a child of the environment and the app of
 * the cluster (where the library places them), so their stacks and ids do
 * not depend on the blueprint.
 */
export class AcmeService extends Application {
  /** The service's web app. */
  public readonly app: AcmeWebApp;
  /** The service's database. */
  public readonly database: ManagedPostgres;

  constructor(environment: AcmeEnvironment, id: string, props: AcmeServiceProps) {
    super(environment, id, { labels: { 'acme.example/team': props.team } });
    this.database = new ManagedPostgres(environment, `${id}-db`);
    this.app = new AcmeWebApp(environment.cluster, id, {
      image: props.image,
      port: props.port ?? 8080,
      host: props.host,
      team: props.team,
      autoscaling: { maxReplicas: 6 },
      connections: [this.database],
    });
    this.add(this.database, this.app);
  }
}

/**
 * Acme's rules, reported with the library's problems:
 * ACME001 a region Acme does not run in; ACME002 an image from another
 * registry; ACME101 (a warning) a plain WebApp instead of an AcmeWebApp.
 */
export class AcmeRules implements IPlatformCheck {
  constructor(private readonly platform: Platform) {}

  public check(report: ProblemCollector): void {
    for (const child of this.platform.node.children) {
      if (child instanceof Environment && !ACME_REGIONS.includes(child.region)) {
        report.error(child, 'ACME001', 'region', `"${child.region}" is not an Acme region`, `use one of ${ACME_REGIONS.join(', ')}`);
      }
    }
    for (const c of this.platform.node.findAll()) {
      if (c instanceof Workload && !c.image.startsWith(ACME_REGISTRY)) {
        report.error(c, 'ACME002', 'image', `${c.image} is not from the Acme registry`, `push it to ${ACME_REGISTRY} and use that image`);
      }
      if (c instanceof WebApp && !(c instanceof AcmeWebApp)) {
        report.warning(c, 'ACME101', '', 'a plain WebApp has no owning team or runbook',
          'use AcmeWebApp, or acknowledge with Platform.acknowledgeWarning(app, \'ACME101\', reason)');
      }
    }
  }
}
