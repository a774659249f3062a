// What every policy is and the small assertions they share.
import {
  type HclBody,
  resourceAddress,
  resources,
  type TfBlock,
  type TfFile,
  violation,
} from "../tf-tree.ts";

/** A promise as a pure function: one "file: address: argument: problem" line per breach, none when kept. */
export type Policy = (files: TfFile[]) => string[];

/** The resources of one type across the given files. */
export const ofType = (files: TfFile[], type: string): TfBlock[] =>
  resources(files).filter((r) => r.type === type);

export const show = (value: unknown): string => (value === undefined ? "unset" : JSON.stringify(value));

/** A violation unless `body[argument]` is exactly `expected`. */
export function expectValue(block: TfBlock, body: HclBody, argument: string, expected: unknown, why: string) {
  const actual = body[argument];
  return actual === expected
    ? []
    : [
        violation(
          block,
          resourceAddress(block),
          argument,
          `is ${show(actual)}, must be ${show(expected)}: ${why}`,
        ),
      ];
}

export function expectSet(block: TfBlock, body: HclBody, argument: string, why: string): string[] {
  return body[argument] === undefined || body[argument] === null
    ? [violation(block, resourceAddress(block), argument, `is unset: ${why}`)]
    : [];
}
