// Pod addresses, persisted in the state folder so that a restarted platform neither reuses an address
// still held by a leftover pod nor forgets which addresses it handed out.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type Subnet, toAddress, toInt } from "./subnet.ts";

export class IpAllocator {
  /** owner (pod key) -> address */
  private readonly leases: Map<string, string>;

  constructor(
    private readonly subnet: Subnet,
    private readonly file: string,
  ) {
    this.leases = new Map(Object.entries(readLeases(file)));
  }

  allocate(owner: string): string {
    const held = this.leases.get(owner);
    if (held) return held;
    const taken = new Set(this.leases.values());
    for (let candidate = this.subnet.firstPod; candidate <= this.subnet.lastPod; candidate++) {
      const address = toAddress(candidate);
      if (!taken.has(address)) {
        this.leases.set(owner, address);
        this.save();
        return address;
      }
    }
    throw new Error(`pod subnet ${this.subnet.cidr} has no free address left`);
  }

  /** Hands an owner's address to another owner (which keeps it from being allocated again). */
  transfer(from: string, to: string): void {
    const address = this.leases.get(from);
    if (address === undefined) return;
    this.leases.delete(from);
    this.leases.set(to, address);
    this.save();
  }

  release(owner: string): void {
    if (this.leases.delete(owner)) this.save();
  }

  owners(): string[] {
    return [...this.leases.keys()];
  }

  addressOf(owner: string): string | undefined {
    return this.leases.get(owner);
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const sorted = Object.fromEntries([...this.leases].sort((a, b) => toInt(a[1]) - toInt(b[1])));
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`);
    renameSync(`${this.file}.tmp`, this.file);
  }
}

function readLeases(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected an object of pod -> address`);
  }
  const leases: Record<string, string> = {};
  for (const [owner, address] of Object.entries(parsed)) {
    if (typeof address === "string") leases[owner] = address;
  }
  return leases;
}
