// build-push's typed result, and how it reads as outputs, a summary and an exit code.
import type { ExitCode } from "../lib/entry/exit-code.ts";
import { codeBlock, markdownTable } from "../lib/report/markdown.ts";
import type { Builder } from "./docker/build-command.ts";

export type BuildPushStage = "login" | "build" | "push" | "verify";

export type BuildPushResult =
  | {
      readonly result: "pushed" | "built";
      readonly builder: Builder;
      /** registry/repository@digest (pushed), registry/repository:sha (built only). */
      readonly image: string;
      readonly digest?: string;
      readonly tags: readonly string[];
      readonly imageId: string;
      readonly sizeBytes: number;
      readonly sourceDateEpoch?: number;
    }
  | {
      readonly result: "failed";
      readonly stage: BuildPushStage;
      readonly message: string;
      /** The last lines the failing command printed (the builder's error). */
      readonly excerpt?: string;
      readonly builder?: Builder;
    };

export function buildPushOutputs(result: BuildPushResult): Record<string, string> {
  if (result.result === "failed") return { result: "failed" };
  return {
    result: result.result,
    image: result.image,
    digest: result.digest ?? "",
    tags: result.tags.join("\n"),
    size: String(result.sizeBytes),
  };
}

export function buildPushExitCode(result: BuildPushResult): ExitCode {
  return result.result === "failed" ? 1 : 0;
}

export function buildPushSummary(result: BuildPushResult): string {
  if (result.result === "failed") {
    return [
      `## build-push: ${result.stage} failed`,
      "",
      result.message,
      ...(result.excerpt ? ["", codeBlock(result.excerpt)] : []),
    ].join("\n");
  }
  const megabytes = (result.sizeBytes / 1024 / 1024).toFixed(1);
  return [
    `## build-push: ${result.result === "pushed" ? "pushed" : "built (not pushed)"}`,
    "",
    markdownTable(
      ["", ""],
      [
        ["image", `\`${result.image}\``],
        ["tags", result.tags.map((tag) => `\`${tag}\``).join(", ")],
        ["size", `${megabytes} MB (${result.sizeBytes} bytes)`],
        ["builder", result.builder === "buildx" ? "BuildKit (buildx)" : "classic builder"],
        [
          "SOURCE_DATE_EPOCH",
          result.sourceDateEpoch === undefined
            ? "unknown (no git history)"
            : new Date(result.sourceDateEpoch * 1000).toISOString(),
        ],
      ],
    ),
    ...(result.digest
      ? [
          "",
          "The digest was read back from the registry and equals what the push and `docker inspect` reported.",
        ]
      : []),
  ].join("\n");
}
