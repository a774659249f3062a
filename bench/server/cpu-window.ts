import { availableParallelism } from "node:os";
import { coreShares, sampleMachine, sampleTrees } from "./cpu.ts";

/** CPU use, in shares of one core, of the processes that took part in one run. */
export interface CpuUse {
  loadGenerator: number;
  /** Undefined when the contender has no server process (the direct-search baseline). */
  server: number | undefined;
  postgres: number;
  /** Everything else on the machine: other helpers' work shares these cores. */
  others: number;
}

export interface CpuRoots {
  loadGenerator: number;
  server: number | undefined;
  postgres: number;
}

/**
 * Samples CPU over the steady middle of a run: from `marginMs` after it starts to `marginMs` before it
 * should end, so start-up and the last in-flight requests do not blur the shares.
 */
export async function watchCpu(
  roots: () => CpuRoots | undefined,
  durationMs: number,
  marginMs: number,
): Promise<CpuUse | undefined> {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await wait(marginMs);
  const ids = roots();
  if (ids === undefined) return undefined;
  const trees = { loadGenerator: ids.loadGenerator, server: ids.server ?? -1, postgres: ids.postgres };
  const startedAt = Date.now();
  const treesBefore = sampleTrees(trees);
  const machineBefore = sampleMachine();
  await wait(Math.max(0, durationMs - 2 * marginMs));
  const treesAfter = sampleTrees(trees);
  const machineAfter = sampleMachine();
  const shares = coreShares(treesBefore, treesAfter, (Date.now() - startedAt) / 1000);
  const machineShare = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
  const machineCores = machineShare * 100 * availableParallelism();
  const ours = (shares.loadGenerator ?? 0) + (shares.server ?? 0) + (shares.postgres ?? 0);
  return {
    loadGenerator: shares.loadGenerator ?? 0,
    server: ids.server === undefined ? undefined : (shares.server ?? 0),
    postgres: shares.postgres ?? 0,
    others: Math.max(0, machineCores - ours),
  } satisfies CpuUse;
}
