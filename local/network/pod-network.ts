// Kubernetes-style pod networking on one machine: a bridge owned by the platform, and per pod a network
// namespace (the pause container's, attached by PID because Docker cannot join a named namespace) with
// a veth pair whose inner end is eth0 carrying the pod's address.
// Pods get NO default route: only the bridge subnet is reachable, so no packet leaves the machine with
// a pod source address. The host reaches every pod through the bridge; pods reach the host only on the
// bridge address (gateway), never on 127.0.0.1.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { IpAllocator } from "./ip-allocator.ts";
import { ip, ipBatch, requireRoot } from "./ip-command.ts";
import { parseSubnet, type Subnet } from "./subnet.ts";

export interface PodNetworkOptions {
  /** Bridge name, at most 15 characters; also the prefix of this network's namespaces. */
  bridge: string;
  /** Pod subnet, e.g. "10.244.0.0/24"; the bridge takes the first address. */
  cidr: string;
  /** Folder where address leases are kept across restarts. */
  stateDir: string;
}

export interface PodAttachment {
  podIP: string;
  namespace: string;
}

export class PodNetwork {
  readonly subnet: Subnet;
  readonly bridge: string;
  private readonly allocator: IpAllocator;
  private createdBridge = false;

  constructor(options: PodNetworkOptions) {
    if (!/^[a-zA-Z0-9_-]{1,12}$/.test(options.bridge)) {
      throw new Error(`bridge name ${options.bridge}: use 1 to 12 letters, digits, '-' or '_'`);
    }
    this.bridge = options.bridge;
    this.subnet = parseSubnet(options.cidr);
    this.allocator = new IpAllocator(this.subnet, join(options.stateDir, `pod-ips-${options.bridge}.json`));
  }

  /** Creates the bridge with its address unless it is already there. */
  async up(): Promise<void> {
    requireRoot("Pod networking");
    const existing = await linkExists(this.bridge);
    const address = `${this.subnet.gateway}/${this.subnet.prefixLength}`;
    if (!existing) {
      await ipBatch([
        `link add ${this.bridge} type bridge`,
        `addr add ${address} dev ${this.bridge}`,
        `link set ${this.bridge} up`,
      ]);
      this.createdBridge = true;
      return;
    }
    const addresses = await ip(["-o", "-4", "addr", "show", "dev", this.bridge]);
    if (!addresses.includes(` ${address} `)) await ip(["addr", "add", address, "dev", this.bridge]);
    await ip(["link", "set", this.bridge, "up"]);
  }

  /** Gives the namespace of process `pid` (the pod's pause container) an eth0 on the bridge. */
  async attach(podKey: string, pid: number): Promise<PodAttachment> {
    const namespace = this.namespaceOf(podKey);
    const hostEnd = this.hostEndOf(podKey);
    const podIP = this.allocator.allocate(podKey);
    try {
      await ipBatch([
        `netns attach ${namespace} ${pid}`,
        `link add ${hostEnd} type veth peer name eth0 netns ${namespace}`,
        `link set ${hostEnd} master ${this.bridge}`,
        `link set ${hostEnd} up`,
      ]);
      await ipBatch(
        ["link set lo up", `addr add ${podIP}/${this.subnet.prefixLength} dev eth0`, "link set eth0 up"],
        namespace,
      );
    } catch (error) {
      await this.detach(podKey);
      throw error;
    }
    return { podIP, namespace };
  }

  /** Removes the pod's namespace name and veth, and frees its address. Safe to call twice. */
  async detach(podKey: string): Promise<void> {
    await ip(["link", "del", this.hostEndOf(podKey)]).catch(() => undefined);
    await ip(["netns", "delete", this.namespaceOf(podKey)]).catch(() => undefined);
    this.allocator.release(podKey);
  }

  /** Detaches every pod this network knows of, including leftovers of an earlier run. */
  async detachAll(): Promise<void> {
    const listed = await ip(["netns", "list"]).catch(() => "");
    const prefix = `${this.bridge}-`;
    const keys = new Set(this.allocator.owners());
    for (const line of listed.split("\n")) {
      const name = line.split(" ")[0] ?? "";
      if (name.startsWith(prefix)) keys.add(name.slice(prefix.length));
    }
    for (const key of keys) await this.detach(key);
  }

  /** Detaches every pod and removes the bridge if this instance created it. */
  async down(): Promise<void> {
    await this.detachAll();
    if (this.createdBridge) {
      await ip(["link", "del", this.bridge]).catch(() => undefined);
      this.createdBridge = false;
    }
  }

  namespaceOf(podKey: string): string {
    return `${this.bridge}-${podKey}`;
  }

  private hostEndOf(podKey: string): string {
    // Interface names hold 15 characters: a hash keeps them unique per bridge and pod.
    return `vc${createHash("sha1").update(`${this.bridge}/${podKey}`).digest("hex").slice(0, 12)}`;
  }
}

async function linkExists(name: string): Promise<boolean> {
  try {
    await ip(["link", "show", name]);
    return true;
  } catch {
    return false;
  }
}
