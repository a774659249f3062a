// npm run bench:pipeline -- [--repetitions N] [--progress-deadline SECONDS]
// The aks-deploy part: see bench/pipeline/README.md.
import { parseArgs } from "node:util";
import { runAksDeployBench } from "./aks-deploy-bench.ts";
import { renderAksDeployReport } from "./aks-deploy-report.ts";

try {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      repetitions: { type: "string", default: "3" },
      "progress-deadline": { type: "string", default: "20" },
    },
  });
  const repetitions = Number(values.repetitions);
  const progressDeadlineSeconds = Number(values["progress-deadline"]);
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new Error("--repetitions must be a whole number >= 1");
  if (!Number.isInteger(progressDeadlineSeconds) || progressDeadlineSeconds < 5)
    throw new Error("--progress-deadline must be a whole number of seconds >= 5");
  const options = { repetitions, progressDeadlineSeconds };
  const results = await runAksDeployBench(options, (line) => console.error(line));
  console.log(renderAksDeployReport(results, options));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
