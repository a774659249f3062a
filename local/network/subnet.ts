// IPv4 arithmetic for the pod subnet: the bridge takes the first host address, pods the rest.

export interface Subnet {
  /** e.g. "10.244.0.0/24" */
  cidr: string;
  prefixLength: number;
  /** The bridge's own address: pods reach the host only there. */
  gateway: string;
  firstPod: number;
  lastPod: number;
}

export function toInt(address: string): number {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  return parts.reduce((value, part) => value * 256 + part, 0);
}

export function toAddress(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

export function parseSubnet(cidr: string): Subnet {
  const [address = "", prefix] = cidr.split("/");
  const prefixLength = Number(prefix);
  if (!Number.isInteger(prefixLength) || prefixLength < 16 || prefixLength > 29) {
    throw new Error(`pod subnet ${cidr}: prefix length must be between 16 and 29`);
  }
  const size = 2 ** (32 - prefixLength);
  const network = toInt(address) - (toInt(address) % size);
  return {
    cidr: `${toAddress(network)}/${prefixLength}`,
    prefixLength,
    gateway: toAddress(network + 1),
    firstPod: network + 2,
    lastPod: network + size - 2,
  };
}
