// Reads the manifests input (folders or files, one per line) into documents: a folder with a kustomization
// is rendered by kustomize, any other folder gives its *.yaml, *.yml and *.json files in name order (not
// its subfolders, as `kubectl apply -f <dir>` without --recursive). Every problem found is returned.
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { Problem } from "../../lib/report/problem.ts";
import type { ManifestDocument } from "./manifest-document.ts";
import { parseDocuments } from "./parse-documents.ts";

export interface LoadOptions {
  /** Renders a kustomization folder to a YAML stream (kubectlKustomize in production). */
  kustomize?: (dir: string) => Promise<string>;
}

export interface LoadResult {
  documents: ManifestDocument[];
  problems: Problem[];
}

/** The file names kustomize recognises as a kustomization. */
const kustomizationFiles = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const manifestExtensions = new Set([".yaml", ".yml", ".json"]);
/** Larger files are refused unread: memory stays bounded whatever the input. */
export const maxManifestFileBytes = 16 * 1024 * 1024;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function loadFile(file: string): Promise<LoadResult> {
  const size = (await stat(file)).size;
  if (size > maxManifestFileBytes) {
    return {
      documents: [],
      problems: [
        {
          file,
          message: `file is ${size} bytes; manifest files over ${maxManifestFileBytes} bytes are not read`,
          hint: "split it, or check that the right file is named",
        },
      ],
    };
  }
  const bytes = await readFile(file);
  let text: string | undefined;
  try {
    text = bytes.includes(0) ? undefined : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    return {
      documents: [],
      problems: [{ file, message: "not a UTF-8 text file", hint: "manifests are YAML or JSON text" }],
    };
  }
  return parseDocuments(file, text);
}

async function loadKustomization(dir: string, options: LoadOptions): Promise<LoadResult> {
  if (!options.kustomize) {
    return {
      documents: [],
      problems: [{ file: dir, message: "folder has a kustomization but no kustomize renderer was given" }],
    };
  }
  let rendered: string;
  try {
    rendered = await options.kustomize(dir);
  } catch (error) {
    return {
      documents: [],
      problems: [
        {
          file: dir,
          message: `kubectl kustomize failed: ${errorMessage(error)}`,
          hint: `run \`kubectl kustomize ${dir}\` to see the same error`,
        },
      ],
    };
  }
  return parseDocuments(dir, rendered);
}

async function loadFolder(dir: string, options: LoadOptions): Promise<LoadResult> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  const names = entries.map((entry) => entry.name);
  if (kustomizationFiles.some((name) => names.includes(name))) return loadKustomization(dir, options);
  const files = entries
    .filter((entry) => entry.isFile() && manifestExtensions.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(dir, entry.name))
    .sort();
  if (files.length === 0) {
    return {
      documents: [],
      problems: [
        {
          file: dir,
          message: "folder has no *.yaml, *.yml or *.json files (subfolders are not read)",
          hint: "name the files, or add a kustomization.yaml that lists the subfolders",
        },
      ],
    };
  }
  const results = await Promise.all(files.map(loadFile));
  return {
    documents: results.flatMap((result) => result.documents),
    problems: results.flatMap((result) => result.problems),
  };
}

async function loadInput(input: string, options: LoadOptions): Promise<LoadResult> {
  let kind: "folder" | "file";
  try {
    kind = (await stat(input)).isDirectory() ? "folder" : "file";
  } catch {
    return {
      documents: [],
      problems: [
        {
          file: input,
          message: "no such file or folder",
          hint: "manifests takes folders or files, one per line, relative to the working directory",
        },
      ],
    };
  }
  if (kind === "folder") return loadFolder(input, options);
  // A kustomization named directly stands for its folder.
  if (kustomizationFiles.includes(basename(input))) return loadKustomization(dirname(input), options);
  return loadFile(input);
}

export async function loadManifests(inputs: string[], options: LoadOptions): Promise<LoadResult> {
  const paths = inputs.map((input) => input.trim()).filter((input) => input !== "");
  const results: LoadResult[] = [];
  for (const path of paths) results.push(await loadInput(path, options));
  const documents = results.flatMap((result) => result.documents);
  const problems = results.flatMap((result) => result.problems);
  if (documents.length === 0 && problems.length === 0) {
    problems.push({
      message:
        paths.length === 0
          ? "no manifests given"
          : `no Kubernetes objects found in ${paths.map((path) => `"${path}"`).join(", ")}`,
      hint: "manifests takes folders or files, one per line, holding at least one object",
    });
  }
  return { documents, problems };
}
