// client-node's models type metav1.Time as Date (its ObjectSerializer converts on the way in and out). The
// store, the API server, the controllers and the kubelet hold objects as the JSON the API serves, where a
// timestamp is an RFC 3339 string: `Wire<T>` is a client-node model as it is on the wire.
export type Wire<T> = T extends Date
  ? string | null
  : T extends (infer Item)[]
    ? Wire<Item>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/**
 * Fields `K` always present. client-node marks every field optional; the API server's Go types hold some
 * as struct values (an object's metadata and spec, a template's spec, a container's state), which
 * encoding/json always writes, so a stored object always has them.
 */
export type Present<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
