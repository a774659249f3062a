import type { ReleaseVerdict } from "../verdict/release-verdict.ts";

/** A verdict that records what the gate asked of it; `undoFails` makes the undo reject as a failed one would. */
export function recordingVerdict(options: { undoFails?: string } = {}): ReleaseVerdict & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async markVerified() {
      calls.push("markVerified");
      return "revision 3";
    },
    async undo(reason) {
      calls.push(`undo: ${reason}`);
      if (options.undoFails) throw new Error(options.undoFails);
      return "revision 2";
    },
  };
}
