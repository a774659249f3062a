// Loads every .tf file under a directory and parses it with @cdktf/hcl2json, so the checks work on plain
// JSON (blocks become arrays of objects, expressions become "${...}" strings) without the Terraform providers.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "@cdktf/hcl2json";

export type HclBody = Record<string, unknown>;

/** One parsed .tf file; `path` is relative to the repository root, with forward slashes. */
export interface TfFile {
  path: string;
  body: HclBody;
}

/** A labelled block of a file: a resource, data source, variable, output, module call or provider. */
export interface TfBlock {
  file: string;
  /** The block's first label: the resource type for resources and data sources, the name otherwise. */
  type: string;
  name: string;
  body: HclBody;
}

export function isRecord(value: unknown): value is HclBody {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested block (`name { ... }`) appears as an array of bodies; anything else yields none. */
export function blockBodies(value: unknown): HclBody[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The terraform/ directory this file lives under. */
export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

async function listTfFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".tf"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.split(path.sep).includes(".terraform"))
    .sort();
}

export async function parseTfText(fileName: string, text: string): Promise<TfFile> {
  const body: HclBody = await parse(fileName, text);
  return { path: fileName, body };
}

/** Parses in-memory files, keyed by their path (the checks' unit tests build small configurations so). */
export function parseTfFiles(texts: Record<string, string>): Promise<TfFile[]> {
  return Promise.all(Object.entries(texts).map(([fileName, text]) => parseTfText(fileName, text)));
}

/**
 * Parses every .tf file under `root`; file names are relative to root's parent (so "terraform/modules/...").
 * A syntax error rejects with hcl2json's message, which names the file, line and column.
 */
export async function loadTfTree(root: string = ROOT): Promise<TfFile[]> {
  const files = await listTfFiles(root);
  const base = path.dirname(root);
  return Promise.all(
    files.map(async (file) =>
      parseTfText(path.relative(base, file).split(path.sep).join("/"), await readFile(file, "utf8")),
    ),
  );
}

/** The directory (module or environment) a file belongs to. */
export function dirOf(file: TfFile | TfBlock | string): string {
  const p = typeof file === "string" ? file : "file" in file ? file.file : file.path;
  return path.posix.dirname(p);
}

function labelled(files: TfFile[], kind: string, twoLabels: boolean): TfBlock[] {
  const blocks: TfBlock[] = [];
  for (const file of files) {
    const section = file.body[kind];
    if (!isRecord(section)) continue;
    for (const [first, value] of Object.entries(section)) {
      if (!twoLabels) {
        for (const body of blockBodies(value))
          blocks.push({ file: file.path, type: first, name: first, body });
        continue;
      }
      if (!isRecord(value)) continue;
      for (const [name, bodies] of Object.entries(value)) {
        for (const body of blockBodies(bodies)) blocks.push({ file: file.path, type: first, name, body });
      }
    }
  }
  return blocks;
}

export const resources = (files: TfFile[]): TfBlock[] => labelled(files, "resource", true);
export const dataSources = (files: TfFile[]): TfBlock[] => labelled(files, "data", true);
export const variables = (files: TfFile[]): TfBlock[] => labelled(files, "variable", false);
export const outputs = (files: TfFile[]): TfBlock[] => labelled(files, "output", false);
export const moduleCalls = (files: TfFile[]): TfBlock[] => labelled(files, "module", false);
export const providers = (files: TfFile[]): TfBlock[] => labelled(files, "provider", false);

/** `terraform { ... }` blocks of the given files. */
export function terraformSettings(files: TfFile[]): { file: string; body: HclBody }[] {
  return files.flatMap((file) => blockBodies(file.body.terraform).map((body) => ({ file: file.path, body })));
}

/** `locals { ... }` of a directory merged into one map. */
export function localsOf(files: TfFile[], dir: string): HclBody {
  const merged: HclBody = {};
  for (const file of files.filter((f) => dirOf(f) === dir)) {
    for (const body of blockBodies(file.body.locals)) Object.assign(merged, body);
  }
  return merged;
}

/** How a policy failure names its place: "file: resource address: argument: what is wrong". */
export function violation(
  block: TfBlock | { file: string },
  address: string,
  argument: string,
  problem: string,
) {
  return `${block.file}: ${address}: ${argument}: ${problem}`;
}

export function resourceAddress(block: TfBlock): string {
  return `${block.type}.${block.name}`;
}

/** "prod" for a directory such as terraform/environments/prod, undefined for a module. */
export function environmentOf(dir: string): string | undefined {
  return /(?:^|\/)environments\/([^/]+)$/.exec(dir)?.[1];
}

/** What an administrator applies once, before the environments: resource groups, Terraform identities. */
export const BOOTSTRAP_DIR = "terraform/bootstrap";

/** Root configurations (the environments and the bootstrap) pin providers exactly and keep remote state. */
export function isRootModule(dir: string): boolean {
  return environmentOf(dir) !== undefined || dir === BOOTSTRAP_DIR;
}

/** Calls of the module whose source ends in modules/<name>. */
export function callsOfModule(files: TfFile[], name: string): TfBlock[] {
  return moduleCalls(files).filter((call) => {
    const source = call.body.source;
    return typeof source === "string" && source.replace(/\/$/, "").endsWith(`modules/${name}`);
  });
}

/** The directory a module call's source points to, in the same naming as TfFile paths. */
export function moduleDirOf(call: TfBlock): string {
  return path.posix.normalize(path.posix.join(dirOf(call), String(call.body.source)));
}

/** The default of variable `name` declared in `dir`, or undefined. */
export function variableDefault(files: TfFile[], dir: string, name: string): unknown {
  return variables(files).find((v) => v.name === name && dirOf(v) === dir)?.body.default;
}

/** The value a module call passes for `input`, or the module's default when the call leaves it out. */
export function moduleInput(files: TfFile[], call: TfBlock, input: string): unknown {
  return input in call.body ? call.body[input] : variableDefault(files, moduleDirOf(call), input);
}
