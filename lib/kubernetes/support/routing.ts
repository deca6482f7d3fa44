import { HELM_CHARTS } from '../../private/catalog';
import { GATEWAY_NAME, GATEWAY_NAMESPACE, HTTP_LISTENER_NAME, MANAGED_BY_LABEL } from '../conventions';
import { GatewayClass } from '../imports/gatewayclasses-gateway.networking.k8s.io';
import {
  Gateway, GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode,
} from '../imports/gateways-gateway.networking.k8s.io';
import {
  HttpRoute, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
} from '../imports/httproutes-gateway.networking.k8s.io';
import { ManifestLayer } from '../manifests';
import { SupportContext } from './context';
import { domainPlans } from './domains';

/** The GatewayClass of Envoy Gateway. */
export const GATEWAY_CLASS_NAME = 'envoy-gateway';
/** Controller name Envoy Gateway answers to. */
export const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
/** Helm release of Envoy Gateway (also installs the Gateway API CRDs). */
export const ENVOY_GATEWAY_RELEASE = 'envoy-gateway';

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
  new GatewayClass(config, 'gateway-class', {
    metadata: { name: GATEWAY_CLASS_NAME, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: { controllerName: ENVOY_GATEWAY_CONTROLLER, description: 'Envoy Gateway, installed by cdk-runtime-stack SupportServices' },
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
