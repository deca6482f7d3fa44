// One shop, three environments: DEVELOPMENT, STAGING and PRODUCTION, each in
// its own AWS account and region, each with its own domain. The apps are
// declared once (`Shop`) and placed on each environment's clusters; what
// differs between the tiers (replicas, disruption budgets, zone spread,
// Multi-AZ, deletion protection, retention, instance sizes) comes from the
// tier's defaults, not from the program. DEVELOPMENT runs on the Terraform
// engine; STAGING and PRODUCTION on CloudFormation. PRODUCTION splits the
// shop over two clusters: `main` serves the public, `batch` works off the
// orders; both share the environment's database.
import {
  Access, Cache, CloudEngine, Environment, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, Queue,
  ScheduledJob, SupportServices, Tier, WebApp, Worker,
} from 'cdk-runtime-stack';

/** Where the shop runs in one environment. */
export interface ShopPlacement {
  /** The environment's public domain (a Route 53 zone of its account). */
  readonly domain: string;
  /** The cluster of the apps that serve the public: the storefront and the catalog it calls. */
  readonly web: KubernetesCluster;
  /** The cluster of the apps that work off the orders: the fulfilment worker and the nightly sitemap job. */
  readonly batch: KubernetesCluster;
}

/**
 * The shop, the same in every environment: a PostgreSQL database shared by
 * the catalog, the fulfilment worker and the sitemap job; a queue of orders
 * (the storefront sends, the worker consumes and scales on its depth); a
 * bucket of media; a cache of sessions; and the storefront, which calls the
 * catalog in its cluster.
 */
export class Shop {
  public readonly db: ManagedPostgres;
  public readonly orders: Queue;
  public readonly media: ObjectStore;
  public readonly sessions: Cache;
  public readonly storefront: WebApp;
  public readonly catalog: WebApp;
  public readonly fulfilment: Worker;
  public readonly sitemap: ScheduledJob;

  constructor(env: Environment, placement: ShopPlacement) {
    this.db = new ManagedPostgres(env, 'shop-db');
    this.orders = new Queue(env, 'orders');
    this.media = new ObjectStore(env, 'media');
    this.sessions = new Cache(env, 'sessions');

    // The catalog API: internal only, reached by the storefront.
    this.catalog = new WebApp(placement.web, 'catalog', {
      image: 'ghcr.io/acme/catalog:3.2.0',
      port: 8080,
      healthCheck: { path: '/healthz' },
      metrics: { port: 9090 },
      connections: [this.db, this.media],
    });

    // The storefront: public, calls the catalog (CATALOG_URL), keeps sessions, sends orders.
    this.storefront = new WebApp(placement.web, 'storefront', {
      image: 'ghcr.io/acme/storefront:5.0.1',
      port: 3000,
      host: `shop.${placement.domain}`,
      healthCheck: { path: '/healthz' },
      autoscaling: { maxReplicas: 10 },
      connections: [this.catalog, this.sessions],
    });
    this.storefront.connect(this.orders, { access: Access.WRITE });

    // Fulfilment: consumes the orders, scaling on the queue's depth from the tier's replicas.
    this.fulfilment = new Worker(placement.batch, 'fulfilment', {
      image: 'ghcr.io/acme/fulfilment:2.7.4',
      connections: [this.db],
    });
    this.fulfilment.connect(this.orders, { access: Access.READ, scaling: { maxReplicas: 20, messagesPerReplica: 10 } });

    // Every night, the sitemap of the catalog, written into the media bucket.
    this.sitemap = new ScheduledJob(placement.batch, 'sitemap', {
      image: 'ghcr.io/acme/sitemap:1.1.0',
      schedule: '15 3 * * *',
      timeZone: 'Europe/Dublin',
      connections: [this.db],
    });
    this.sitemap.connect(this.media, { access: Access.WRITE });
  }
}

/** An EKS cluster with the support services its workloads need. */
function cluster(env: Environment, id: string, domain: string, hostedZoneId: string): KubernetesCluster {
  const eks = new KubernetesCluster(env, id);
  new SupportServices(eks, 'support', {
    domain,
    hostedZoneId,
    acmeEmail: 'platform@acme.example.com',
  });
  return eks;
}

/** The platform: three environments in three accounts and regions. */
export function multiEnvironmentPlatform(): Platform {
  const platform = new Platform({ name: 'acme' });

  // DEVELOPMENT on Terraform, state in the development account's bucket.
  const dev = new Environment(platform, 'dev', {
    tier: Tier.DEVELOPMENT,
    account: '111111111111',
    region: 'eu-west-1',
    engine: CloudEngine.TERRAFORM,
    terraform: { s3Backend: { bucket: 'acme-dev-terraform-state' } },
  });
  const devMain = cluster(dev, 'main', 'dev.acme.example.com', 'Z01DEVACMEEXAMPLE');
  new Shop(dev, { domain: 'dev.acme.example.com', web: devMain, batch: devMain });

  // STAGING on CloudFormation: production-shaped, one cluster.
  const staging = new Environment(platform, 'staging', {
    tier: Tier.STAGING,
    account: '222222222222',
    region: 'eu-central-1',
  });
  const stagingMain = cluster(staging, 'main', 'staging.acme.example.com', 'Z02STAGINGACMEEXAMPLE');
  new Shop(staging, { domain: 'staging.acme.example.com', web: stagingMain, batch: stagingMain });

  // PRODUCTION on CloudFormation: the public apps and the batch apps on clusters of their own.
  const prod = new Environment(platform, 'prod', {
    tier: Tier.PRODUCTION,
    account: '333333333333',
    region: 'us-east-1',
  });
  new Shop(prod, {
    domain: 'acme.example.com',
    web: cluster(prod, 'main', 'acme.example.com', 'Z03ACMEEXAMPLE'),
    batch: cluster(prod, 'batch', 'acme.example.com', 'Z03ACMEEXAMPLE'),
  });

  return platform;
}
