// Renders a kustomization folder with `kubectl kustomize` (kustomize built into kubectl; offline, no cluster).
import { execFile } from "node:child_process";

/** Bound on the rendered output; far above any sane manifest set. */
const maxOutputBytes = 64 * 1024 * 1024;

/** kubectl logs the failure through klog: `E1130 ... run.go:72] "command failed" err="<message>"`. */
function failureMessage(stderr: string): string {
  const quoted = /err="((?:[^"\\]|\\.)*)"/.exec(stderr)?.[1];
  if (quoted !== undefined) return JSON.parse(`"${quoted}"`) as string;
  return stderr.trim().replace(/^Error: /, "");
}

export function kubectlKustomize(dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "kubectl",
      ["kustomize", dir],
      { maxBuffer: maxOutputBytes, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) reject(new Error(failureMessage(stderr) || error.message));
        else resolve(stdout);
      },
    );
  });
}
