// Fan-out of store changes to watchers, with a bounded history so a watcher can resume from a
// resourceVersion. Events reach a watcher asynchronously (a microtask after the write), in order, so a
// watcher that writes from its callback never re-enters the store mid-write.
import type { KubeObject } from "../api/meta.ts";
import { StoreError, type WatchEvent, type WatchEventType } from "./object-store.ts";
import type { ObjectPredicate } from "./selectors.ts";

interface Change {
  rv: number;
  key: string;
  type: WatchEventType;
  object: KubeObject;
  /** The object before a MODIFIED change: selector transitions turn into ADDED/DELETED. */
  previous?: KubeObject;
}

interface Watcher {
  key: string;
  predicate: ObjectPredicate;
  onEvent: (event: WatchEvent) => void;
  queue: WatchEvent[];
  scheduled: boolean;
  stopped: boolean;
}

export class WatchHub {
  readonly #history: Change[] = [];
  readonly #limit: number;
  readonly #watchers = new Set<Watcher>();
  /** Changes at or before this version are not in the history any more. */
  #floor: number;

  constructor(limit: number, floor: number) {
    this.#limit = limit;
    this.#floor = floor;
  }

  get watcherCount(): number {
    return this.#watchers.size;
  }

  publish(change: Change): void {
    this.#history.push(change);
    if (this.#history.length > this.#limit) {
      const dropped = this.#history.shift();
      if (dropped) this.#floor = dropped.rv;
    }
    for (const watcher of this.#watchers) this.#offer(watcher, change);
  }

  /**
   * Starts a watcher on resource `key`. With `since`, first replays the retained changes after it; a
   * version older than the history gives 410 Expired with the real server's message.
   */
  subscribe(
    key: string,
    predicate: ObjectPredicate,
    since: number | undefined,
    onEvent: (event: WatchEvent) => void,
  ): () => void {
    if (since !== undefined && since < this.#floor) {
      throw new StoreError(410, "Expired", `too old resource version: ${since} (${this.#floor + 1})`);
    }
    const watcher: Watcher = { key, predicate, onEvent, queue: [], scheduled: false, stopped: false };
    if (since !== undefined) {
      for (const change of this.#history) if (change.rv > since) this.#offer(watcher, change);
    }
    this.#watchers.add(watcher);
    return () => {
      watcher.stopped = true;
      this.#watchers.delete(watcher);
    };
  }

  #offer(watcher: Watcher, change: Change): void {
    if (watcher.key !== change.key) return;
    const now = watcher.predicate(change.object);
    const before = change.previous === undefined ? now : watcher.predicate(change.previous);
    let type: WatchEventType | undefined = change.type;
    if (change.type === "MODIFIED" && now !== before) type = now ? "ADDED" : "DELETED";
    else if (!now) type = undefined;
    if (type === undefined) return;
    watcher.queue.push({ type, object: structuredClone(change.object) });
    if (watcher.scheduled) return;
    watcher.scheduled = true;
    queueMicrotask(() => this.#flush(watcher));
  }

  #flush(watcher: Watcher): void {
    watcher.scheduled = false;
    while (!watcher.stopped && watcher.queue.length > 0) {
      const event = watcher.queue.shift();
      if (event) watcher.onEvent(event);
    }
  }
}
