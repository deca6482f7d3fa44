/**
 * Pod Security Standards checker ("restricted" profile, which includes every "baseline" control),
 * following the Kubernetes 1.28 policy version (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 *
 * Finds the pod template of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob (spec.jobTemplate.spec.template) and PodTemplate, and checks
 * the pod spec plus every container, initContainer and ephemeralContainer.
 *
 * Messages look like:  `Deployment app/web container "web": restricted/capabilities: must drop ALL`
 */

export type PssLevel = 'baseline' | 'restricted';

export interface PodSecurityOptions {
  /** Profile to check; "restricted" (default) includes all baseline controls. */
  readonly level?: PssLevel;
}

/** Returns one message per violation (empty when every pod template complies). */
export function podSecurityViolations(docs: readonly unknown[], options: PodSecurityOptions = {}): string[] {
  const level = options.level ?? 'restricted';
  const out: string[] = [];
  for (const doc of docs) {
    if (!isRecord(doc)) continue;
    const tpl = podTemplateOf(doc);
    if (!tpl) continue;
    out.push(...checkPod(objectLabel(doc), tpl.metadata, tpl.spec, level));
  }
  return out;
}

/** Jest helper: throws listing all violations unless every workload meets "restricted". */
export function expectRestricted(docs: readonly unknown[]): void {
  const v = podSecurityViolations(docs, { level: 'restricted' });
  if (v.length > 0) throw new Error(`${v.length} Pod Security Standards (restricted) violation(s):\n  - ${v.join('\n  - ')}`);
}

/** Jest helper for the baseline profile. */
export function expectBaseline(docs: readonly unknown[]): void {
  const v = podSecurityViolations(docs, { level: 'baseline' });
  if (v.length > 0) throw new Error(`${v.length} Pod Security Standards (baseline) violation(s):\n  - ${v.join('\n  - ')}`);
}

// ---------------------------------------------------------------------------------------------
// policy data (Kubernetes 1.28)

/** Baseline: capabilities that may be added beyond the container runtime defaults. */
const BASELINE_ALLOWED_CAPS = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
/** Restricted: the only capability that may be added. */
const RESTRICTED_ALLOWED_CAPS = new Set(['NET_BIND_SERVICE']);

/** Baseline "safe" sysctls (policy version 1.27/1.28). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);

const ALLOWED_SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t']);

/** Restricted: volume types allowed. */
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

// ---------------------------------------------------------------------------------------------
// helpers

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function rec(x: unknown): Rec {
  return isRecord(x) ? x : {};
}
function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}
function strList(x: unknown): string[] {
  return list(x).map((v) => String(v));
}

function objectLabel(doc: Rec): string {
  const meta = rec(doc.metadata);
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '<no-namespace>';
  const name = typeof meta.name === 'string' ? meta.name : '<unnamed>';
  return `${String(doc.kind)} ${ns}/${name}`;
}

interface PodTemplate {
  readonly metadata: Rec;
  readonly spec: Rec;
}

function podTemplateOf(doc: Rec): PodTemplate | undefined {
  const spec = rec(doc.spec);
  let template: unknown;
  switch (doc.kind) {
    case 'Pod':
      return { metadata: rec(doc.metadata), spec };
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      template = spec.template;
      break;
    case 'CronJob':
      template = rec(rec(spec.jobTemplate).spec).template;
      break;
    case 'PodTemplate':
      template = doc.template;
      break;
    default:
      return undefined;
  }
  const t = rec(template);
  return { metadata: rec(t.metadata), spec: rec(t.spec) };
}

interface NamedContainer {
  readonly label: string;
  readonly name: string;
  readonly c: Rec;
}

function containersOf(spec: Rec): NamedContainer[] {
  const out: NamedContainer[] = [];
  const groups: Array<[string, string]> = [
    ['containers', 'container'],
    ['initContainers', 'initContainer'],
    ['ephemeralContainers', 'ephemeralContainer'],
  ];
  for (const [field, what] of groups) {
    list(spec[field]).forEach((raw, i) => {
      const c = rec(raw);
      const name = typeof c.name === 'string' ? c.name : `#${i}`;
      out.push({ label: `${what} "${name}"`, name, c });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// the checks

function checkPod(obj: string, podMeta: Rec, spec: Rec, level: PssLevel): string[] {
  const v: string[] = [];
  const pod = (rule: string, msg: string) => v.push(`${obj} pod: ${rule}: ${msg}`);
  const ctr = (nc: NamedContainer, rule: string, msg: string) => v.push(`${obj} ${nc.label}: ${rule}: ${msg}`);
  const restricted = level === 'restricted';
  const podSc = rec(spec.securityContext);
  const containers = containersOf(spec);
  const isWindows = rec(spec.os).name === 'windows';

  // ---- baseline ----------------------------------------------------------------------------
  // Host namespaces
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) pod('baseline/host-namespaces', `${f} must be unset or false`);
  }

  // HostProcess (Windows)
  if (rec(podSc.windowsOptions).hostProcess === true) {
    pod('baseline/host-process', 'securityContext.windowsOptions.hostProcess must be unset or false');
  }

  // HostPath volumes, and (restricted) allowed volume types
  for (const raw of list(spec.volumes)) {
    const vol = rec(raw);
    const name = String(vol.name ?? '?');
    const types = Object.keys(vol).filter((k) => k !== 'name');
    if (types.includes('hostPath')) {
      pod('baseline/host-path-volumes', `volume "${name}" uses hostPath`);
    } else if (restricted) {
      for (const t of types) {
        if (!RESTRICTED_VOLUME_TYPES.has(t)) {
          pod('restricted/volume-types', `volume "${name}" uses type "${t}" (allowed: ${[...RESTRICTED_VOLUME_TYPES].join(', ')})`);
        }
      }
    }
  }

  // Sysctls
  for (const raw of list(podSc.sysctls)) {
    const name = String(rec(raw).name);
    if (!SAFE_SYSCTLS.has(name)) pod('baseline/sysctls', `sysctl "${name}" is not in the safe set`);
  }

  // AppArmor (annotations; policy 1.28 has no appArmorProfile field, but check it if present)
  for (const [key, value] of Object.entries(rec(podMeta.annotations))) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
    const val = String(value);
    if (val !== 'runtime/default' && !val.startsWith('localhost/')) {
      pod('baseline/apparmor', `annotation ${key}=${val} (must be runtime/default or localhost/*)`);
    }
  }
  const checkAppArmorField = (sc: Rec, report: (msg: string) => void) => {
    if (rec(sc.appArmorProfile).type === 'Unconfined') report('appArmorProfile.type must not be Unconfined');
  };
  checkAppArmorField(podSc, (m) => pod('baseline/apparmor', m));

  // SELinux
  const checkSeLinux = (sc: Rec, report: (msg: string) => void) => {
    const se = rec(sc.seLinuxOptions);
    if (se.type !== undefined && se.type !== '' && !ALLOWED_SELINUX_TYPES.has(String(se.type))) {
      report(`seLinuxOptions.type "${String(se.type)}" is not allowed (allowed: ${[...ALLOWED_SELINUX_TYPES].join(', ')})`);
    }
    if (se.user !== undefined && se.user !== '') report('seLinuxOptions.user must be unset');
    if (se.role !== undefined && se.role !== '') report('seLinuxOptions.role must be unset');
  };
  checkSeLinux(podSc, (m) => pod('baseline/selinux', m));

  // Seccomp (baseline: never Unconfined)
  const podSeccomp = rec(podSc.seccompProfile).type;
  if (podSeccomp === 'Unconfined') pod('baseline/seccomp', 'securityContext.seccompProfile.type must not be Unconfined');

  // ---- restricted, pod level ---------------------------------------------------------------
  if (restricted) {
    if (podSc.runAsNonRoot === false) pod('restricted/run-as-non-root', 'securityContext.runAsNonRoot must not be false');
    if (podSc.runAsUser === 0) pod('restricted/run-as-user', 'securityContext.runAsUser must not be 0');
  }

  for (const nc of containers) {
    const sc = rec(nc.c.securityContext);
    const report = (rule: string) => (msg: string) => ctr(nc, rule, msg);

    // ---- baseline, container level ---------------------------------------------------------
    if (sc.privileged === true) ctr(nc, 'baseline/privileged', 'securityContext.privileged must be unset or false');
    if (rec(sc.windowsOptions).hostProcess === true) {
      ctr(nc, 'baseline/host-process', 'securityContext.windowsOptions.hostProcess must be unset or false');
    }
    for (const rawPort of list(nc.c.ports)) {
      const hp = rec(rawPort).hostPort;
      if (hp !== undefined && hp !== 0) ctr(nc, 'baseline/host-ports', `hostPort ${String(hp)} must be unset or 0`);
    }
    const caps = rec(sc.capabilities);
    const added = strList(caps.add);
    const badBaseline = added.filter((c) => !BASELINE_ALLOWED_CAPS.has(c));
    if (badBaseline.length > 0) ctr(nc, 'baseline/capabilities', `adds non-default capabilities ${badBaseline.join(', ')}`);
    checkSeLinux(sc, report('baseline/selinux'));
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      ctr(nc, 'baseline/proc-mount', `securityContext.procMount "${String(sc.procMount)}" must be unset or Default`);
    }
    checkAppArmorField(sc, report('baseline/apparmor'));
    const seccomp = rec(sc.seccompProfile).type;
    if (seccomp === 'Unconfined') ctr(nc, 'baseline/seccomp', 'securityContext.seccompProfile.type must not be Unconfined');

    if (!restricted) continue;

    // ---- restricted, container level -------------------------------------------------------
    // runAsNonRoot: container true, or unset with pod true
    if (sc.runAsNonRoot === false) {
      ctr(nc, 'restricted/run-as-non-root', 'securityContext.runAsNonRoot must not be false');
    } else if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) {
      ctr(nc, 'restricted/run-as-non-root', 'runAsNonRoot must be true in the container or pod securityContext');
    }
    if (sc.runAsUser === 0) ctr(nc, 'restricted/run-as-user', 'securityContext.runAsUser must not be 0');

    if (isWindows) continue; // the remaining controls are Linux-only

    if (sc.allowPrivilegeEscalation !== false) {
      ctr(nc, 'restricted/privilege-escalation', 'securityContext.allowPrivilegeEscalation must be false');
    }
    // seccomp: container RuntimeDefault/Localhost, or unset with pod RuntimeDefault/Localhost
    const okSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
    if (seccomp === undefined) {
      if (!okSeccomp(podSeccomp)) {
        ctr(nc, 'restricted/seccomp', 'seccompProfile.type must be RuntimeDefault or Localhost in the container or pod securityContext');
      }
    } else if (!okSeccomp(seccomp) && seccomp !== 'Unconfined') {
      ctr(nc, 'restricted/seccomp', `securityContext.seccompProfile.type "${String(seccomp)}" must be RuntimeDefault or Localhost`);
    }
    if (!strList(caps.drop).includes('ALL')) {
      ctr(nc, 'restricted/capabilities', 'securityContext.capabilities.drop must include ALL');
    }
    const badRestricted = added.filter((c) => !RESTRICTED_ALLOWED_CAPS.has(c) && BASELINE_ALLOWED_CAPS.has(c));
    if (badRestricted.length > 0) {
      ctr(nc, 'restricted/capabilities', `may only add NET_BIND_SERVICE, adds ${badRestricted.join(', ')}`);
    }
  }

  return v;
}
