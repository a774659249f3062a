// Runs Debian's iproute2 `ip` without a shell. Several commands go through one process with
// `-batch -` (one spawn per pod instead of one per command).
import { execFile } from "node:child_process";

export class IpCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
  ) {
    super(`ip ${args.join(" ")} failed: ${stderr.trim()}`);
    this.name = "IpCommandError";
  }
}

export function ip(args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("ip", args, { encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new IpCommandError(args, stderr || error.message));
      else resolve(stdout);
    });
    // ip may exit (e.g. on a bad first line) before it read its input: that is its error to report, not EPIPE.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(stdin ?? "");
  });
}

/** Runs each line as an `ip` command in one process; `namespace` runs them inside that network namespace. */
export function ipBatch(lines: string[], namespace?: string): Promise<string> {
  const args = namespace ? ["-n", namespace, "-batch", "-"] : ["-batch", "-"];
  return ip(args, `${lines.join("\n")}\n`);
}

/** Pod networking changes links and namespaces: only root may. Says so before anything half-happens. */
export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${what} needs root (it creates a bridge, network namespaces and veth pairs with iproute2); run as root or use the simulated runtime`,
    );
  }
}
