import { Construct } from 'constructs';
import { SupportContext } from './context';
import { domainPlans } from './domains';
import {
  EnvoyProxy, EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable, EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy,
  EnvoyProxySpecProviderKubernetesEnvoyServiceType, EnvoyProxySpecProviderType,
} from '../../../kubernetes/imports/envoyproxies-gateway.envoyproxy.io';
import { GatewayClass } from '../../../kubernetes/imports/gatewayclasses-gateway.networking.k8s.io';
import {
  Gateway, GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode,
} from '../../../kubernetes/imports/gateways-gateway.networking.k8s.io';
import {
  HttpRoute, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
} from '../../../kubernetes/imports/httproutes-gateway.networking.k8s.io';
import { HELM_CHARTS } from '../../../private/catalog';
import { GATEWAY_NAME, GATEWAY_NAMESPACE, HTTP_LISTENER_NAME, MANAGED_BY_LABEL } from '../conventions';
import { ManifestLayer } from '../manifests';

/** The GatewayClass of Envoy Gateway. */
export const GATEWAY_CLASS_NAME = 'envoy-gateway';
/** Controller name Envoy Gateway answers to. */
export const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
/** Helm release of Envoy Gateway (also installs the Gateway API CRDs). */
export const ENVOY_GATEWAY_RELEASE = 'envoy-gateway';
/** The EnvoyProxy the GatewayClass references: how the data plane (the Envoy proxies) runs. */
export const ENVOY_PROXY_NAME = 'platform-proxy';

/**
 * Annotations of the proxies' `LoadBalancer` Service: a Network Load
 * Balancer in the public subnets (tagged `kubernetes.io/role/elb`), made by
 * the AWS cloud controller that EKS runs in its control plane. Without them
 * that controller makes a Classic Load Balancer.
 */
export const GATEWAY_LOAD_BALANCER_ANNOTATIONS: Record<string, string> = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
  'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
};

/** Labels Envoy Gateway puts on the proxy pods of a Gateway. */
export function proxyPodLabels(gateway: string, namespace: string): Record<string, string> {
  return {
    'gateway.envoyproxy.io/owning-gateway-name': gateway,
    'gateway.envoyproxy.io/owning-gateway-namespace': namespace,
  };
}

/** Values of the `gateway-helm` chart (the parts the library sets). */
export interface EnvoyGatewayValues {
  readonly deployment: {
    readonly replicas: number;
  };
  readonly podDisruptionBudget?: {
    readonly minAvailable: number;
  };
}

/**
 * Routing: Envoy Gateway, its GatewayClass, the shared Gateway with one
 * HTTPS listener per domain, and an HTTP listener whose only route
 * redirects to HTTPS.
 */
export function renderRouting(ctx: SupportContext): void {
  const namespace = ctx.namespace(GATEWAY_NAMESPACE, 'baseline');
  const replicas = ctx.controllerReplicas;
  const values: EnvoyGatewayValues = {
    deployment: { replicas },
    podDisruptionBudget: replicas > 1 ? { minAvailable: 1 } : undefined,
  };
  ctx.helm('routing', HELM_CHARTS.envoyGateway, { releaseName: ENVOY_GATEWAY_RELEASE, namespace, values, wave: 0 });

  const config = ctx.chart(ManifestLayer.SUPPORT_CONFIG, 'routing');
  renderProxy(ctx, config, namespace);
  new GatewayClass(config, 'gateway-class', {
    metadata: { name: GATEWAY_CLASS_NAME, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: {
      controllerName: ENVOY_GATEWAY_CONTROLLER,
      description: 'Envoy Gateway, installed by cdk-runtime-stack SupportServices',
      parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: ENVOY_PROXY_NAME, namespace },
    },
  });

  const https: GatewaySpecListeners[] = domainPlans(ctx.settings).flatMap(plan => plan.listeners.map(l => ({
    name: l.name,
    protocol: 'HTTPS',
    port: 443,
    hostname: l.hostname,
    tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: plan.secretName }] },
    allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
  })));
  new Gateway(config, 'gateway', {
    metadata: { name: GATEWAY_NAME, namespace, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: {
      gatewayClassName: GATEWAY_CLASS_NAME,
      listeners: [
        {
          name: HTTP_LISTENER_NAME,
          protocol: 'HTTP',
          port: 80,
          // Only routes of the gateway's own namespace: the redirect below
          // (and cert-manager's HTTP-01 solver routes).
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
        },
        ...https,
      ],
    },
  });

  new HttpRoute(config, 'https-redirect', {
    metadata: { name: 'https-redirect', namespace, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: {
      parentRefs: [{ name: GATEWAY_NAME, namespace, sectionName: HTTP_LISTENER_NAME }],
      rules: [{
        filters: [{
          type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
          requestRedirect: {
            scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
            statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
          },
        }],
      }],
    },
  });
}

/**
 * The data plane: `deployment.replicas` of the chart scales only the
 * controller; the Envoy proxies that carry the traffic are shaped by this
 * EnvoyProxy. The tier's replicas (spread over nodes, and over zones where
 * the tier spreads workloads), a disruption budget where the tier has them,
 * and a Network Load Balancer whose health checks go only to nodes that run
 * a proxy (`externalTrafficPolicy: Local`, which also keeps client IPs).
 */
function renderProxy(ctx: SupportContext, config: Construct, namespace: string): void {
  const replicas = ctx.settings.proxyReplicas;
  const d = ctx.environment.defaults;
  const selector = { matchLabels: proxyPodLabels(GATEWAY_NAME, namespace) };
  const spread = [
    ...(d.zoneSpread ? [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector }] : []),
    ...(replicas > 1 ? [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector }] : []),
  ];
  new EnvoyProxy(config, 'proxy', {
    metadata: { name: ENVOY_PROXY_NAME, namespace, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: {
      provider: {
        type: EnvoyProxySpecProviderType.KUBERNETES,
        kubernetes: {
          envoyDeployment: {
            replicas,
            pod: { topologySpreadConstraints: spread.length > 0 ? spread : undefined },
          },
          envoyPdb: d.podDisruptionBudget && replicas > 1
            ? { maxUnavailable: EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable.fromNumber(1) }
            : undefined,
          envoyService: {
            type: EnvoyProxySpecProviderKubernetesEnvoyServiceType.LOAD_BALANCER,
            externalTrafficPolicy: EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy.LOCAL,
            annotations: { ...GATEWAY_LOAD_BALANCER_ANNOTATIONS },
          },
        },
      },
    },
  });
}
