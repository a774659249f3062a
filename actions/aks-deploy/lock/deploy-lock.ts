// The deploy lock: a coordination.k8s.io/v1 Lease in the target namespace, as client-go's leader election
// keeps one (tools/leaderelection/resourcelock/leaselock.go): the holder renews it while it deploys, another
// run takes it over only once it has expired, and every write carries the resourceVersion it read, so two
// runs can never both believe they hold it.
import { setTimeout as sleep } from "node:timers/promises";
import { type CoordinationV1Api, type V1Lease, V1MicroTime } from "@kubernetes/client-node";
import { statusCode } from "../../lib/kube/api-error.ts";

export const deployLockName = "aks-deploy-lock";

export interface DeployLockOptions {
  readonly api: CoordinationV1Api;
  readonly namespace: string;
  /** Who is deploying: a GitHub run URL, a Jenkins BUILD_URL or user@host, plus a per-process nonce. */
  readonly identity: string;
  /** How long the lock outlives its last renewal (a killed run frees it after this). */
  readonly leaseDurationSeconds: number;
  /** How long to wait for another run's lock before giving up. */
  readonly waitMs: number;
  readonly signal?: AbortSignal;
  /** Called once when the lock is found held and this run starts waiting. */
  readonly onWait?: (holder: LockHolder) => void;
  /** How often to look again while waiting (default 1 s). */
  readonly pollMs?: number;
  readonly now?: () => number;
}

export interface LockHolder {
  readonly identity: string;
  /** When the holder acquired the lock (ISO time), as the Lease says. */
  readonly since: string;
}

export type LockAttempt =
  | { readonly acquired: true; readonly lock: HeldLock; readonly takenOverFrom?: LockHolder }
  | { readonly acquired: false; readonly holder: LockHolder };

export interface HeldLock {
  /** Aborted when a renewal finds the lock taken by another run (this run must stop writing). */
  readonly lost: AbortSignal;
  /** Stops renewing and frees the lock for the next run (the Lease keeps its transition count). */
  release(): Promise<void>;
}

function holderOf(lease: V1Lease): LockHolder | undefined {
  const identity = lease.spec?.holderIdentity;
  if (identity === undefined || identity === "") return undefined;
  const since = lease.spec?.acquireTime ?? lease.spec?.renewTime;
  return { identity, since: since ? new Date(since).toISOString() : "an unknown time" };
}

/**
 * Expired when the holder's last renewal is older than its lease duration by our clock, or when the Lease has
 * not changed for that long since we first saw it (client-go's rule, which holds even with skewed clocks).
 */
function expired(lease: V1Lease, firstSeenUnchangedAt: number, now: number): boolean {
  const durationMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
  const renewed = lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : 0;
  return renewed + durationMs < now || firstSeenUnchangedAt + durationMs < now;
}

export async function acquireDeployLock(options: DeployLockOptions): Promise<LockAttempt> {
  const { api, namespace, identity } = options;
  const now = options.now ?? Date.now;
  const deadline = now() + options.waitMs;
  const spec = (previous?: V1Lease) => {
    const time = new V1MicroTime(now());
    return {
      holderIdentity: identity,
      leaseDurationSeconds: options.leaseDurationSeconds,
      acquireTime: time,
      renewTime: time,
      leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (previous ? 1 : 0),
    };
  };
  let seen: { resourceVersion: string; at: number } | undefined;
  let announced = false;
  for (;;) {
    options.signal?.throwIfAborted();
    let lease: V1Lease;
    try {
      lease = await api.readNamespacedLease({ name: deployLockName, namespace });
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
      try {
        await api.createNamespacedLease({
          namespace,
          body: { metadata: { name: deployLockName, namespace }, spec: spec() },
        });
        return { acquired: true, lock: holdLock(options, now) };
      } catch (createError) {
        if (statusCode(createError) === 409) continue; // another run created it first
        throw createError;
      }
    }
    const resourceVersion = lease.metadata?.resourceVersion ?? "";
    if (seen?.resourceVersion !== resourceVersion) seen = { resourceVersion, at: now() };
    const holder = holderOf(lease);
    if (holder === undefined || expired(lease, seen.at, now())) {
      try {
        await api.replaceNamespacedLease({
          name: deployLockName,
          namespace,
          body: { ...lease, spec: spec(lease) },
        });
        return {
          acquired: true,
          lock: holdLock(options, now),
          ...(holder === undefined ? {} : { takenOverFrom: holder }),
        };
      } catch (replaceError) {
        if (statusCode(replaceError) === 409) continue; // changed since we read it: look again
        throw replaceError;
      }
    }
    if (now() >= deadline) return { acquired: false, holder };
    if (!announced) {
      options.onWait?.(holder);
      announced = true;
    }
    const pause = Math.min(options.pollMs ?? 1000, Math.max(0, deadline - now()));
    await sleep(pause, undefined, options.signal ? { signal: options.signal } : {});
  }
}

/** Renews the Lease every third of its duration until released; aborts `lost` if another run took it. */
function holdLock(options: DeployLockOptions, now: () => number): HeldLock {
  const { api, namespace, identity } = options;
  const lost = new AbortController();
  const stopped = new AbortController();
  const intervalMs = (options.leaseDurationSeconds * 1000) / 3;

  /** Writes `update` onto the Lease while it is still ours; false when it no longer is. */
  const whileOurs = async (update: (lease: V1Lease) => V1Lease): Promise<boolean> => {
    for (;;) {
      const lease = await api.readNamespacedLease({ name: deployLockName, namespace });
      if (lease.spec?.holderIdentity !== identity) return false;
      try {
        await api.replaceNamespacedLease({ name: deployLockName, namespace, body: update(lease) });
        return true;
      } catch (error) {
        if (statusCode(error) !== 409) throw error;
      }
    }
  };

  const renewing = (async () => {
    while (!stopped.signal.aborted) {
      try {
        await sleep(intervalMs, undefined, { signal: stopped.signal });
      } catch {
        return; // released
      }
      try {
        const ours = await whileOurs((lease) => ({
          ...lease,
          spec: { ...lease.spec, renewTime: new V1MicroTime(now()) },
        }));
        if (!ours) {
          lost.abort(new Error("the deploy lock was taken over by another run"));
          return;
        }
      } catch {
        // A failed renewal is retried at the next tick; the lease outlives a few missed ones.
      }
    }
  })();

  return {
    lost: lost.signal,
    async release() {
      stopped.abort();
      await renewing;
      if (lost.signal.aborted) return;
      // client-go's release: an empty holder and a 1 s duration, so the next run takes it at once.
      await whileOurs((lease) => ({
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: "",
          leaseDurationSeconds: 1,
          renewTime: new V1MicroTime(now()),
        },
      }));
    },
  };
}
