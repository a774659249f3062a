// Command line of `npm run bench:platform`.
import { InvalidInputError } from "../../local/common/exit-code.ts";

export interface PlatformBenchOptions {
  runtime: "simulated" | "docker";
  repetitions: number;
  /** ms until each pod is ready. */
  readyAfterMs: number;
}

export const usage =
  "usage: npm run bench:platform -- [--runtime simulated|docker] [--repetitions N] [--ready-after-ms MS]";

export function parseOptions(args: readonly string[]): PlatformBenchOptions {
  const options: PlatformBenchOptions = { runtime: "simulated", repetitions: 7, readyAfterMs: 200 };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (value === undefined) throw new InvalidInputError(`${flag} needs a value\n${usage}`);
    i++;
    if (flag === "--runtime") {
      if (value !== "simulated" && value !== "docker")
        throw new InvalidInputError(`--runtime must be simulated or docker, got "${value}"`);
      options.runtime = value;
    } else if (flag === "--repetitions" || flag === "--ready-after-ms") {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1)
        throw new InvalidInputError(`${flag} must be a positive integer, got "${value}"`);
      if (flag === "--repetitions") options.repetitions = number;
      else options.readyAfterMs = number;
    } else {
      throw new InvalidInputError(`unknown option ${flag}\n${usage}`);
    }
  }
  return options;
}
