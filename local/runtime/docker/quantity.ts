// Kubernetes resource quantities as the engine wants them: memory in bytes, CPU in nano-CPUs.
const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimal: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export function quantityValue(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.exec(quantity.trim());
  const suffix = match?.[2] ?? "";
  const factor = binary[suffix] ?? decimal[suffix];
  if (!match?.[1] || factor === undefined) throw new Error(`not a resource quantity: ${quantity}`);
  return Number(match[1]) * factor;
}

export function memoryBytes(quantity: string): number {
  return Math.ceil(quantityValue(quantity));
}

export function nanoCpus(quantity: string): number {
  return Math.round(quantityValue(quantity) * 1e9);
}
