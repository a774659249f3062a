// The stored objects, one table per resource keyed by `namespace/name`: what the registry, the garbage
// collector and the namespace lifecycle read.
import type { KubeObject } from "../api/meta.ts";
import { type ResourceInfo, resourceKey } from "./resources.ts";

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

export class ObjectTables {
  readonly #tables = new Map<string, Map<string, KubeObject>>();

  of(ref: { group: string; resource: string }): Map<string, KubeObject> {
    const key = resourceKey(ref);
    let table = this.#tables.get(key);
    if (!table) {
      table = new Map();
      this.#tables.set(key, table);
    }
    return table;
  }

  find(
    ref: { group: string; resource: string },
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.of(ref).get(objectKey(namespace, name));
  }

  /** Every object of the given resources, with its resource. */
  *objects(infos: ResourceInfo[]): Generator<{ info: ResourceInfo; object: KubeObject }> {
    for (const info of infos) for (const object of this.of(info).values()) yield { info, object };
  }

  hasUid(uid: string): boolean {
    for (const table of this.#tables.values()) {
      for (const object of table.values()) if (object.metadata.uid === uid) return true;
    }
    return false;
  }
}
