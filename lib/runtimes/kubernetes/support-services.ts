import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { KubernetesCluster } from './kubernetes-cluster';
import { InstalledComponents, SupportContext, SupportSettings } from './support/context';
import { renderDatabases } from './support/databases';
import { renderDns } from './support/dns';
import { domainOf } from './support/domains';
import { renderEvents } from './support/events';
import { renderLogs } from './support/logs';
import { renderMetrics, renderMetricsServer } from './support/metrics';
import { renderRouting } from './support/routing';
import { renderSecrets } from './support/secrets';
import { renderStorage } from './support/storage';
import { renderTls } from './support/tls';
import { SupportNeed } from '../../core/connections';
import { RuntimeStackConstruct } from '../../core/element';
import { RenderPhase } from '../../core/graph';
import { CLOUDWATCH_RETENTION_DAYS, isCloudWatchRetention } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { Tier } from '../../core/tier';
import { EBS_CSI_ADDON } from '../../private/catalog';
import { isDomainName, isHostedZoneId } from '../../private/validation';

/**
 * How the Helm charts of the support services reach the cluster.
 */
export enum GitOpsDelivery {
  /** An Argo CD `Application` per chart, in namespace `argocd`. */
  ARGO_CD = 'argo-cd',
  /** A Flux `HelmRelease` per chart and a `HelmRepository` per repository, in namespace `flux-system`. */
  FLUX = 'flux',
}

/**
 * How cert-manager proves control of a domain to Let's Encrypt.
 */
export enum AcmeChallenge {
  /** A TXT record in Route 53 (allows wildcard certificates). */
  DNS01 = 'dns-01',
  /** An HTTP response through the Gateway's HTTP listener (one certificate name per host, no wildcards). */
  HTTP01 = 'http-01',
}

/**
 * Where container logs go.
 */
export enum LogDestination {
  /** A CloudWatch Logs group per cluster. */
  CLOUDWATCH = 'cloudwatch',
  /** Loki, installed in the cluster (single binary, on an EBS volume). */
  LOKI = 'loki',
}

/**
 * A support component that can be turned off.
 */
export interface ComponentOptions {
  /**
   * Whether the component may be installed. It is installed only when a
   * workload of the cluster needs it; when it is turned off and a workload
   * needs it, synth fails naming the workload.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * Gateway API routing (Envoy Gateway).
 */
export interface RoutingOptions extends ComponentOptions {
  /**
   * Envoy proxies that carry the Gateway's traffic (the data plane, behind
   * one Network Load Balancer). At least 2 in PRODUCTION.
   *
   * @default - the tier's replicas: 1 in DEVELOPMENT, 2 in STAGING, 3 in PRODUCTION
   */
  readonly replicas?: number;
}

/**
 * TLS certificates (cert-manager + Let's Encrypt).
 */
export interface TlsOptions extends ComponentOptions {
  /**
   * Use Let's Encrypt's staging directory (untrusted certificates, high
   * rate limits) instead of production.
   *
   * @default false
   */
  readonly staging?: boolean;

  /**
   * The ACME challenge.
   *
   * @default AcmeChallenge.DNS01
   */
  readonly challenge?: AcmeChallenge;
}

/**
 * Metrics (Prometheus Operator stack, metrics-server).
 */
export interface MetricsOptions extends ComponentOptions {
  /**
   * Whether metrics-server may be installed (it is installed when a
   * workload needs autoscaling).
   *
   * @default true
   */
  readonly metricsServer?: boolean;
}

/**
 * Logs (Fluent Bit). Part of the baseline: installed on every cluster
 * unless turned off.
 */
export interface LogsOptions extends ComponentOptions {
  /**
   * Where container logs go.
   *
   * @default LogDestination.CLOUDWATCH
   */
  readonly destination?: LogDestination;

  /**
   * Retention of container logs, in days.
   *
   * @default - 7 in DEVELOPMENT, 30 in STAGING, 90 in PRODUCTION
   */
  readonly retentionDays?: number;
}

/**
 * Properties of `SupportServices`.
 */
export interface SupportServicesProps {
  /**
   * The domain of the cluster's public hosts: its Route 53 zone gets the
   * DNS records, its certificates cover `*.domain`.
   */
  readonly domain: string;

  /**
   * Contact e-mail of the Let's Encrypt account (expiry notices).
   */
  readonly acmeEmail: string;

  /**
   * More domains served by the same Gateway (each its own HTTPS listener
   * and certificate).
   *
   * @default - none
   */
  readonly additionalDomains?: string[];

  /**
   * Route 53 hosted zone id of `domain`. DNS-01 and external-dns may then
   * change records of that zone only.
   *
   * @default - record changes are limited by record name to the domains, on any zone of the account (warning RS520)
   */
  readonly hostedZoneId?: string;

  /**
   * How Helm charts are delivered.
   *
   * @default GitOpsDelivery.ARGO_CD
   */
  readonly delivery?: GitOpsDelivery;

  /**
   * Gateway API routing (Envoy Gateway).
   *
   * @default - installed when a workload needs routing, with the tier's replicas of the proxy
   */
  readonly routing?: RoutingOptions;

  /**
   * TLS certificates (cert-manager).
   *
   * @default - installed when a workload needs TLS; Let's Encrypt production, DNS-01
   */
  readonly tls?: TlsOptions;

  /**
   * DNS records (external-dns).
   *
   * @default - installed when a workload needs DNS
   */
  readonly dns?: ComponentOptions;

  /**
   * Secrets from AWS Secrets Manager (External Secrets Operator).
   *
   * @default - installed when a workload needs secrets
   */
  readonly secrets?: ComponentOptions;

  /**
   * Metrics (kube-prometheus-stack, metrics-server).
   *
   * @default - installed when a workload needs metrics (metrics-server: autoscaling)
   */
  readonly metrics?: MetricsOptions;

  /**
   * Event-driven autoscaling (KEDA): scaling workloads on a queue's depth.
   *
   * @default - installed when a workload scales on a queue
   */
  readonly events?: ComponentOptions;

  /**
   * PostgreSQL inside the cluster (the CloudNativePG operator).
   *
   * @default - installed when a ManagedPostgres is placed in the cluster
   */
  readonly databases?: ComponentOptions;

  /**
   * Container logs (Fluent Bit).
   *
   * @default - installed, to CloudWatch Logs
   */
  readonly logs?: LogsOptions;

  /**
   * Storage (EBS CSI driver add-on, encrypted gp3 default StorageClass).
   *
   * @default - installed
   */
  readonly storage?: ComponentOptions;
}

const HOST_PATTERN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const NEED_COMPONENT: Record<SupportNeed, { prop: string; component: keyof InstalledComponents; what: string }> = {
  [SupportNeed.ROUTING]: { prop: 'routing', component: 'routing', what: 'Gateway API routing' },
  [SupportNeed.DNS]: { prop: 'dns', component: 'dns', what: 'external-dns' },
  [SupportNeed.TLS]: { prop: 'tls', component: 'tls', what: 'cert-manager' },
  [SupportNeed.SECRETS]: { prop: 'secrets', component: 'secrets', what: 'External Secrets Operator' },
  [SupportNeed.METRICS]: { prop: 'metrics', component: 'metrics', what: 'the Prometheus stack' },
  [SupportNeed.AUTOSCALING]: { prop: 'metrics.metricsServer', component: 'metricsServer', what: 'metrics-server' },
  [SupportNeed.EVENT_AUTOSCALING]: { prop: 'events', component: 'events', what: 'KEDA' },
  [SupportNeed.POSTGRES]: { prop: 'databases', component: 'databases', what: 'the CloudNativePG operator' },
};

/**
 * The support services of a cluster: what its workloads need (routing,
 * TLS, DNS, secrets, metrics, autoscaling metrics, event-driven scaling,
 * PostgreSQL inside the cluster) plus a baseline (logs, storage),
 * delivered as GitOps resources (Argo CD or Flux) with pinned charts and
 * typed values, with each AWS-calling component on its own least-privilege
 * Pod Identity role.
 *
 * @example
 * new SupportServices(cluster, 'support', {
 *   domain: 'acme.example.com',
 *   acmeEmail: 'platform@acme.example.com',
 * });
 */
export class SupportServices extends RuntimeStackConstruct {
  /** The cluster. */
  public readonly cluster: KubernetesCluster;
  /** `domain` followed by `additionalDomains`. */
  public readonly domains: string[];
  /** How Helm charts are delivered. */
  public readonly delivery: GitOpsDelivery;

  private readonly props: SupportServicesProps;
  private readonly registered: boolean;

  constructor(cluster: KubernetesCluster, id: string, props: SupportServicesProps) {
    super(cluster, id);
    this.cluster = cluster;
    this.props = props;
    this.delivery = props.delivery ?? GitOpsDelivery.ARGO_CD;
    this.domains = [...new Set([props.domain, ...(props.additionalDomains ?? [])]
      .filter(d => typeof d === 'string')
      .map(d => d.toLowerCase().replace(/\.$/, '')))];
    this.registered = cluster._setSupportServices(this);
    if (this.registered && this.enabled(props.storage)) {
      cluster._addAddon(EBS_CSI_ADDON);
    }
    this._registerElement(RenderPhase.SUPPORT, {
      validate: problems => this.validate(problems),
      render: () => this.render(),
      describe: () => ({ kind: 'SupportServices', role: 'support', detail: this.delivery === GitOpsDelivery.FLUX ? 'Flux' : 'Argo CD' }),
    });
  }

  /**
   * The configured domain that serves `host`: the longest of `domains` that
   * equals the host or is a parent of it; undefined when none is.
   */
  public domainFor(host: string): string | undefined {
    return domainOf(host.toLowerCase().replace(/\.$/, ''), this.domains);
  }

  /** Which components this cluster gets, from its workloads' needs and the props. */
  public get installedComponents(): string[] {
    const installed = this.installed();
    return (Object.keys(installed) as Array<keyof InstalledComponents>).filter(k => installed[k]);
  }

  /** Envoy proxies of the Gateway: `routing.replicas`, else the tier's replicas. */
  private get proxyReplicas(): number {
    return this.props.routing?.replicas ?? this.cluster.environment.defaults.replicas;
  }

  private enabled(options?: ComponentOptions): boolean {
    return options?.enabled ?? true;
  }

  private installed(): InstalledComponents {
    const p = this.props;
    const needs = new Set(this.cluster.needs.map(n => n.need));
    return {
      routing: this.enabled(p.routing) && needs.has(SupportNeed.ROUTING),
      dns: this.enabled(p.dns) && needs.has(SupportNeed.DNS),
      tls: this.enabled(p.tls) && needs.has(SupportNeed.TLS),
      secrets: this.enabled(p.secrets) && needs.has(SupportNeed.SECRETS),
      metrics: this.enabled(p.metrics) && needs.has(SupportNeed.METRICS),
      metricsServer: this.enabled(p.metrics) && (p.metrics?.metricsServer ?? true) && needs.has(SupportNeed.AUTOSCALING),
      events: this.enabled(p.events) && needs.has(SupportNeed.EVENT_AUTOSCALING),
      databases: this.enabled(p.databases) && needs.has(SupportNeed.POSTGRES),
      logs: this.enabled(p.logs),
      storage: this.enabled(p.storage),
    };
  }

  private hosts(): string[] {
    const hosts = this.cluster.needs
      .filter(n => n.host !== undefined && !cdk.Token.isUnresolved(n.host))
      .map(n => n.host!.toLowerCase().replace(/\.$/, ''))
      .filter(h => domainOf(h, this.domains) !== undefined);
    return [...new Set(hosts)].sort();
  }

  private settings(): SupportSettings {
    const p = this.props;
    return {
      domains: this.domains,
      acmeEmail: p.acmeEmail,
      hostedZoneId: p.hostedZoneId,
      acmeStaging: p.tls?.staging ?? false,
      http01: p.tls?.challenge === AcmeChallenge.HTTP01,
      flux: this.delivery === GitOpsDelivery.FLUX,
      logDestination: p.logs?.destination === LogDestination.LOKI ? 'loki' : 'cloudwatch',
      logRetentionDays: p.logs?.retentionDays ?? this.cluster.environment.defaults.logRetentionDays,
      installed: this.installed(),
      hosts: this.hosts(),
      proxyReplicas: this.proxyReplicas,
      partition: this.cluster.environment.partition,
    };
  }

  private validate(problems: ProblemCollector): void {
    const p = this.props;
    if (!this.registered) {
      problems.error(this, 'RS500', 'cluster',
        `cluster ${this.cluster.node.path} already has SupportServices (${(this.cluster._supportServices as Construct).node.path})`,
        'create one SupportServices per cluster and configure every component on it');
      return;
    }
    const domainOk = (d: unknown) => typeof d === 'string' && (cdk.Token.isUnresolved(d) || isDomainName(d));
    if (!domainOk(p.domain)) {
      problems.error(this, 'RS501', 'domain', `"${p.domain}" is not a DNS domain name`,
        'give the domain of the Route 53 zone, e.g. "acme.example.com" (no scheme, no wildcard)');
    }
    for (const [i, d] of (p.additionalDomains ?? []).entries()) {
      if (!domainOk(d)) {
        problems.error(this, 'RS501', `additionalDomains[${i}]`, `"${d}" is not a DNS domain name`,
          'give domain names such as "acme.example.org" (no scheme, no wildcard)');
      }
    }
    if (!cdk.Token.isUnresolved(p.acmeEmail) && !EMAIL_PATTERN.test(p.acmeEmail ?? '')) {
      problems.error(this, 'RS502', 'acmeEmail', `"${p.acmeEmail}" is not an e-mail address`,
        'give the address Let\'s Encrypt sends expiry notices to, e.g. "platform@acme.example.com"');
    }
    if (p.hostedZoneId !== undefined && !cdk.Token.isUnresolved(p.hostedZoneId) && !isHostedZoneId(p.hostedZoneId)) {
      problems.error(this, 'RS503', 'hostedZoneId', `"${p.hostedZoneId}" is not a Route 53 hosted zone id`,
        'give the id as Route 53 shows it, e.g. "Z0123456789ABCDEFGHIJ" (without "/hostedzone/")');
    }
    if (p.delivery !== undefined && !Object.values(GitOpsDelivery).includes(p.delivery)) {
      problems.error(this, 'RS504', 'delivery', `"${p.delivery}" is not a delivery mode`, 'use GitOpsDelivery.ARGO_CD or GitOpsDelivery.FLUX');
    }
    if (p.tls?.challenge !== undefined && !Object.values(AcmeChallenge).includes(p.tls.challenge)) {
      problems.error(this, 'RS505', 'tls.challenge', `"${p.tls.challenge}" is not an ACME challenge`, 'use AcmeChallenge.DNS01 or AcmeChallenge.HTTP01');
    }
    if (p.logs?.destination !== undefined && !Object.values(LogDestination).includes(p.logs.destination)) {
      problems.error(this, 'RS506', 'logs.destination', `"${p.logs.destination}" is not a log destination`, 'use LogDestination.CLOUDWATCH or LogDestination.LOKI');
    }
    const days = p.logs?.retentionDays;
    if (days !== undefined && !isCloudWatchRetention(days)) {
      problems.error(this, 'RS507', 'logs.retentionDays', `${days} days is not a CloudWatch Logs retention`,
        `use one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`);
    }
    const proxies = p.routing?.replicas;
    if (proxies !== undefined && (!Number.isInteger(proxies) || proxies < 1)) {
      problems.error(this, 'RS514', 'routing.replicas', `${proxies} is not a whole number of proxies, 1 or more`, 'give a whole number of Envoy proxies, e.g. 3');
    } else if (proxies !== undefined && proxies < 2 && this.cluster.environment.tier === Tier.PRODUCTION) {
      problems.error(this, 'RS514', 'routing.replicas', `${proxies} Envoy proxy in PRODUCTION: every public host would go down with one pod`,
        'run at least 2 proxies in PRODUCTION, or leave routing.replicas out for 3');
    }
    if (this.installed().databases && !this.enabled(p.storage)) {
      problems.error(this, 'RS509', 'storage', 'in-cluster databases keep their data on gp3 EBS volumes but storage is turned off',
        'turn storage on, or place the databases on Amazon RDS (placement: DatabasePlacement.RDS)');
    }
    if (p.logs?.destination === LogDestination.LOKI && !this.enabled(p.storage)) {
      problems.error(this, 'RS508', 'logs.destination', 'Loki keeps its data on an EBS volume but storage is turned off',
        'turn storage on, or use LogDestination.CLOUDWATCH');
    }

    this.validateNeeds(problems);

    if (this.cluster.imported) {
      problems.warning(this, 'RS521', 'cluster',
        `cluster ${this.cluster.node.path} is an existing cluster: the library cannot check that its CNI enforces NetworkPolicies, and without enforcement every default-deny and connection policy it writes is ignored`,
        'turn enforcement on (VPC CNI add-on configuration {"enableNetworkPolicy": "true"}, or a policy-enforcing CNI), then acknowledge with Platform.acknowledgeWarning(support, \'RS521\', reason)');
    }
    if (!p.hostedZoneId && this.needsRoute53()) {
      problems.warning(this, 'RS520', 'hostedZoneId',
        `no hosted zone id: external-dns and cert-manager may change records named in ${this.domains.join(', ')} in any hosted zone of account ${this.cluster.environment.account}`,
        'set hostedZoneId to the zone of the domain to limit them to that zone');
    }
  }

  private needsRoute53(): boolean {
    const installed = this.installed();
    return installed.dns || (installed.tls && this.props.tls?.challenge !== AcmeChallenge.HTTP01);
  }

  private validateNeeds(problems: ProblemCollector): void {
    const installed = this.installed();
    const where = this.node.path;
    const reported = new Set<string>();
    for (const n of this.cluster.needs) {
      const target = NEED_COMPONENT[n.need];
      if (!target) continue;
      const path = n.requester.node.path;
      const forHost = n.host ? ` for ${n.host}` : '';
      if (!installed[target.component] && !reported.has(`${path}|${n.need}`)) {
        reported.add(`${path}|${n.need}`);
        const off = target.component === 'metricsServer' && this.enabled(this.props.metrics) ? 'metrics.metricsServer: false' : `${target.prop.split('.')[0]}: { enabled: false }`;
        problems.error(n.requester, 'RS510', n.need,
          `needs ${n.need}${forHost}${n.reason ? ` (${n.reason})` : ''}, but ${target.what} is turned off in ${where} (${off})`,
          n.need === SupportNeed.POSTGRES
            ? `remove ${off} from ${where}, or place ${path} on Amazon RDS (placement: DatabasePlacement.RDS)`
            : `remove ${off} from ${where}, or remove the ${n.need} need from the workload`);
      }
      if (n.host !== undefined && !cdk.Token.isUnresolved(n.host) && !reported.has(`${path}|host|${n.host}`)) {
        const host = n.host.toLowerCase().replace(/\.$/, '');
        if (!HOST_PATTERN.test(host)) {
          reported.add(`${path}|host|${n.host}`);
          problems.error(n.requester, 'RS511', 'host', `"${n.host}" is not a DNS host name`,
            `give a host name inside ${this.domains.join(', ')}, e.g. "orders.${this.domains[0] ?? 'acme.example.com'}"`);
        } else if (!domainOf(host, this.domains)) {
          reported.add(`${path}|host|${n.host}`);
          problems.error(n.requester, 'RS512', 'host',
            `host "${n.host}" is outside every domain of this cluster's SupportServices (${this.domains.join(', ')})`,
            `use a host inside ${this.domains.join(' or ')}, or add its domain to additionalDomains of ${where}`);
        }
      }
    }
    const s = this.props.tls;
    if (installed.tls && s?.challenge === AcmeChallenge.HTTP01 && !installed.routing) {
      problems.error(this, 'RS513', 'tls.challenge', 'HTTP-01 answers through the Gateway, but routing is not installed',
        'use AcmeChallenge.DNS01, or turn routing on');
    }
  }

  private render(): void {
    if (!this.registered) return;
    const settings = this.settings();
    const ctx = new SupportContext(this, this.cluster, settings);
    const c = settings.installed;
    if (c.storage) renderStorage(ctx);
    if (c.metrics) renderMetrics(ctx);
    if (c.metricsServer) renderMetricsServer(ctx);
    if (c.routing) renderRouting(ctx);
    if (c.tls) renderTls(ctx);
    if (c.dns) renderDns(ctx);
    if (c.secrets) renderSecrets(ctx);
    if (c.events) renderEvents(ctx);
    if (c.databases) renderDatabases(ctx);
    if (c.logs) renderLogs(ctx);
  }
}
