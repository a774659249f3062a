// Durable state under one folder: a JSON snapshot (written atomically: temp file, fsync, rename) plus an
// append-only log of the writes since. Loading replays the log over the snapshot; a torn last line (crash
// mid-append) is ignored. Compaction folds the log into a new snapshot.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { KubeObject } from "../api/meta.ts";

export interface StoredObject {
  group: string;
  resource: string;
  object: KubeObject;
}

interface LogRecord {
  rv: number;
  group: string;
  resource: string;
  namespace: string;
  name: string;
  /** null when the write removed the object. */
  object: KubeObject | null;
}

interface Snapshot {
  resourceVersion: number;
  objects: StoredObject[];
}

export interface LoadedState {
  resourceVersion: number;
  objects: StoredObject[];
}

const snapshotName = "objects.snapshot.json";
const logName = "objects.log.jsonl";

function identity(group: string, resource: string, namespace: string, name: string): string {
  return `${group}/${resource}/${namespace}/${name}`;
}

export class StateFiles {
  readonly #dir: string;
  #logFd: number | undefined;
  #logRecords = 0;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  get logRecords(): number {
    return this.#logRecords;
  }

  load(): LoadedState {
    const snapshotPath = join(this.#dir, snapshotName);
    const snapshot: Snapshot = existsSync(snapshotPath)
      ? (JSON.parse(readFileSync(snapshotPath, "utf8")) as Snapshot)
      : { resourceVersion: 0, objects: [] };
    const objects = new Map<string, StoredObject>();
    for (const stored of snapshot.objects) {
      const meta = stored.object.metadata;
      objects.set(identity(stored.group, stored.resource, meta.namespace ?? "", meta.name ?? ""), stored);
    }
    let resourceVersion = snapshot.resourceVersion;
    const logPath = join(this.#dir, logName);
    const lines = existsSync(logPath) ? readFileSync(logPath, "utf8").split("\n") : [];
    for (const line of lines) {
      if (line.trim() === "") continue;
      let record: LogRecord;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        break; // a torn final line from a crash: everything before it is intact
      }
      if (record.rv <= snapshot.resourceVersion) continue;
      const key = identity(record.group, record.resource, record.namespace, record.name);
      if (record.object === null) objects.delete(key);
      else objects.set(key, { group: record.group, resource: record.resource, object: record.object });
      resourceVersion = Math.max(resourceVersion, record.rv);
      this.#logRecords++;
    }
    return { resourceVersion, objects: [...objects.values()] };
  }

  append(rv: number, group: string, resource: string, object: KubeObject, removed: boolean): void {
    this.#logFd ??= openSync(join(this.#dir, logName), "a", 0o600);
    const record: LogRecord = {
      rv,
      group,
      resource,
      namespace: object.metadata.namespace ?? "",
      name: object.metadata.name ?? "",
      object: removed ? null : object,
    };
    writeSync(this.#logFd, `${JSON.stringify(record)}\n`);
    this.#logRecords++;
  }

  /** Writes a full snapshot atomically, then starts an empty log. */
  compact(resourceVersion: number, objects: StoredObject[]): void {
    const snapshot: Snapshot = { resourceVersion, objects };
    const target = join(this.#dir, snapshotName);
    const temp = `${target}.tmp`;
    const fd = openSync(temp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify(snapshot));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    this.close();
    writeFileSync(join(this.#dir, logName), "", { mode: 0o600 });
    this.#logRecords = 0;
  }

  close(): void {
    if (this.#logFd !== undefined) closeSync(this.#logFd);
    this.#logFd = undefined;
  }
}
