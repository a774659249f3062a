// `terraform fmt -check` needs no provider, so the real formatter runs here rather than a lookalike.
import { execFileAsync } from "../../local/common/exec-file.ts";

/**
 * Files under `dir` that `terraform fmt` would rewrite (empty when all are formatted). Rejects with a clear
 * message when the binary is missing: CI images ship it, so a missing binary is a broken machine, not a skip.
 */
export async function unformattedFiles(dir: string, terraform = "terraform"): Promise<string[]> {
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  try {
    await execFileAsync(terraform, ["fmt", "-check", "-recursive", "-list=true", "-no-color"], {
      cwd: dir,
      env,
    });
    return [];
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      throw new Error(
        `"${terraform}" is not on PATH: install Terraform >= 1.9 (the project's machines have /usr/local/bin/terraform)`,
      );
    }
    if (
      error instanceof Error &&
      "stdout" in error &&
      typeof error.stdout === "string" &&
      error.stdout.trim() !== ""
    ) {
      return error.stdout.trim().split("\n");
    }
    throw error;
  }
}
