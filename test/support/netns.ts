/**
 * Network namespaces for tests of network faults (iproute2's `ip netns` and `tc`, which need
 * root): a namespace joined to this one by a veth pair on a private /30 of 10.213.0.0/16, whose
 * link a test can cut and restore. A cut drops every packet in both directions without a word
 * to either side (a token bucket of one byte on each end's egress), as when a cable is pulled
 * beyond a switch: connections hang rather than fail. Names are unique per run; `destroy`
 * removes the link and the namespace and is safe to call more than once, after a failure too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';

const BINARY_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** An iproute2 binary (`ip`, `tc`), or undefined when it is not installed. */
function binary(name: string): string | undefined {
  return BINARY_DIRS.map((dir) => `${dir}/${name}`).find((path) => existsSync(path));
}

function run(ip: string, args: readonly string[]): string {
  try {
    return execFileSync(ip, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${ip} ${args.join(' ')} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}

/** Why this process cannot make network namespaces (not root, no iproute2, `ip netns` refused), or undefined when it can. */
export function netnsUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const ip = binary('ip');
  const tc = binary('tc');
  if (ip === undefined || tc === undefined) return `iproute2 is not installed (no ip or no tc in ${BINARY_DIRS.join(', ')})`;
  const probe = `sluice-probe-${randomBytes(4).toString('hex')}`;
  try {
    run(ip, ['netns', 'add', probe]);
  } catch (error) {
    return `\`ip netns add\` is refused here: ${(error as Error).message}`;
  }
  try {
    run(ip, ['netns', 'del', probe]);
  } catch {
    // The probe namespace holds no process: nothing else depends on its removal.
  }
  return undefined;
}

/** A network namespace and the veth link that joins it to this one. */
export interface NamespacedLink {
  readonly namespace: string;
  /** The veth end in this namespace. */
  readonly hostInterface: string;
  /** The veth end inside the namespace. */
  readonly namespaceInterface: string;
  /** The address of this namespace's end: what processes reachable from the namespace listen on. */
  readonly hostAddress: string;
  /** The address of the namespace's end. */
  readonly namespaceAddress: string;
  /** The command prefix that runs a program inside the namespace. */
  readonly launcher: readonly string[];
  /** Cuts the link: from now on every packet is dropped, in both directions, silently. */
  cut(): void;
  /** Brings the link back. */
  restore(): void;
  /** Deletes the link and the namespace (end the processes in it first). */
  destroy(): void;
}

/** A /30 of 10.213.0.0/16 that no interface here uses yet: [the host end's address, the namespace end's]. */
function freeSubnet(ip: string): [string, string] {
  const used = run(ip, ['-o', '-4', 'addr', 'show']);
  for (let tries = 0; tries < 100; tries++) {
    const third = randomInt(256);
    const base = randomInt(64) * 4;
    const host = `10.213.${third}.${base + 1}`;
    const peer = `10.213.${third}.${base + 2}`;
    if (!used.includes(` 10.213.${third}.${base + 1}/`) && !used.includes(` 10.213.${third}.${base + 2}/`)) return [host, peer];
  }
  throw new Error('found no free /30 in 10.213.0.0/16');
}

/** Makes a namespace and a veth pair, with addresses on both ends and both ends up. */
export function createNamespacedLink(): NamespacedLink {
  const ip = binary('ip');
  const tc = binary('tc');
  if (ip === undefined || tc === undefined) throw new Error('iproute2 is not installed');
  const suffix = randomBytes(4).toString('hex');
  const namespace = `sluice-test-${suffix}`;
  const hostInterface = `slh${suffix}`;
  const namespaceInterface = `sln${suffix}`;
  const [hostAddress, namespaceAddress] = freeSubnet(ip);
  let destroyed = false;
  const link: NamespacedLink = {
    namespace,
    hostInterface,
    namespaceInterface,
    hostAddress,
    namespaceAddress,
    launcher: [ip, 'netns', 'exec', namespace],
    cut: () => {
      for (const [prefix, device] of [[[], hostInterface], [['-n', namespace], namespaceInterface]] as const) {
        run(tc, [...prefix, 'qdisc', 'add', 'dev', device, 'root', 'tbf', 'rate', '1kbit', 'burst', '1', 'latency', '1ms']);
      }
    },
    restore: () => {
      for (const [prefix, device] of [[[], hostInterface], [['-n', namespace], namespaceInterface]] as const) run(tc, [...prefix, 'qdisc', 'del', 'dev', device, 'root']);
    },
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      const problems: string[] = [];
      for (const args of [['link', 'del', hostInterface], ['netns', 'del', namespace]]) {
        try {
          run(ip, args);
        } catch (error) {
          if (!/Cannot find device|No such file or directory/.test((error as Error).message)) problems.push((error as Error).message);
        }
      }
      if (problems.length > 0) throw new Error(`cleaning up namespace ${namespace}: ${problems.join('; ')}`);
    },
  };
  try {
    run(ip, ['netns', 'add', namespace]);
    run(ip, ['link', 'add', hostInterface, 'type', 'veth', 'peer', 'name', namespaceInterface]);
    run(ip, ['link', 'set', namespaceInterface, 'netns', namespace]);
    run(ip, ['addr', 'add', `${hostAddress}/30`, 'dev', hostInterface]);
    run(ip, ['link', 'set', hostInterface, 'up']);
    run(ip, ['-n', namespace, 'addr', 'add', `${namespaceAddress}/30`, 'dev', namespaceInterface]);
    run(ip, ['-n', namespace, 'link', 'set', namespaceInterface, 'up']);
    run(ip, ['-n', namespace, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    try {
      link.destroy();
    } catch {
      // The setup error below names the cause; a half-made link is removed as far as it goes.
    }
    throw error;
  }
  return link;
}
