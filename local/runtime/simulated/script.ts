// A simulated pod's behaviour, read from its annotations (documented in local/runtime/simulated/README.md).
export const simAnnotation = {
  /** The container becomes ready N ms after its start is requested (see readyDelay). */
  readyAfterMs: "sim.cloudjobhunt.dev/ready-after-ms",
  /** "true": readiness probes never pass. */
  neverReady: "sim.cloudjobhunt.dev/never-ready",
  /** Every run of the container exits with this code ... */
  crashExitCode: "sim.cloudjobhunt.dev/crash-exit-code",
  /** ... this many ms after it started (default 0). */
  crashAfterMs: "sim.cloudjobhunt.dev/crash-after-ms",
  /** Every run is killed for exceeding its memory limit this many ms after it started (exit 137, OOMKilled). */
  oomAfterMs: "sim.cloudjobhunt.dev/oom-after-ms",
  /** Liveness probes fail from this many ms after each start. */
  livenessFailsAfterMs: "sim.cloudjobhunt.dev/liveness-fails-after-ms",
  /** Time the process takes to exit after SIGTERM (default 0); beyond the grace period it is killed (137). */
  shutdownMs: "sim.cloudjobhunt.dev/shutdown-ms",
} as const;

export interface PodScript {
  readyAfterMs: number;
  neverReady: boolean;
  crash?: { exitCode: number; afterMs: number };
  oomAfterMs?: number;
  livenessFailsAfterMs?: number;
  shutdownMs: number;
}

function milliseconds(annotations: Record<string, string>, key: string): number | undefined {
  const value = annotations[key];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`annotation ${key}: "${value}" is not a number of milliseconds`);
  return parsed;
}

export function parseScript(annotations: Record<string, string>): PodScript {
  const exitCode = annotations[simAnnotation.crashExitCode];
  if (exitCode !== undefined && !/^\d+$/.test(exitCode))
    throw new Error(`annotation ${simAnnotation.crashExitCode}: "${exitCode}" is not an exit code`);
  const crashAfterMs = milliseconds(annotations, simAnnotation.crashAfterMs) ?? 0;
  return {
    readyAfterMs: milliseconds(annotations, simAnnotation.readyAfterMs) ?? 0,
    neverReady: annotations[simAnnotation.neverReady] === "true",
    ...(exitCode === undefined ? {} : { crash: { exitCode: Number(exitCode), afterMs: crashAfterMs } }),
    ...(annotations[simAnnotation.oomAfterMs] === undefined
      ? {}
      : { oomAfterMs: milliseconds(annotations, simAnnotation.oomAfterMs) }),
    ...(annotations[simAnnotation.livenessFailsAfterMs] === undefined
      ? {}
      : { livenessFailsAfterMs: milliseconds(annotations, simAnnotation.livenessFailsAfterMs) }),
    shutdownMs: milliseconds(annotations, simAnnotation.shutdownMs) ?? 0,
  };
}
