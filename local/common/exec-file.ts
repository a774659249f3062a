// Runs a program without a shell and resolves with its output, or rejects with its exit code and output
// (node:child_process execFile, promisified once for every caller).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const execFileAsync = promisify(execFile);
