// npm run bench:pipeline -- [--repetitions N] [--progress-deadline SECONDS]
// The aks-deploy part: see bench/pipeline/README.md.
import { parseArgs } from "node:util";
import { ExitCode, InvalidInputError, runCli } from "../../local/common/exit-code.ts";
import { runAksDeployBench } from "./aks-deploy-bench.ts";
import { renderAksDeployReport } from "./aks-deploy-report.ts";

await runCli(async (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      repetitions: { type: "string", default: "3" },
      "progress-deadline": { type: "string", default: "20" },
    },
  });
  const repetitions = Number(values.repetitions);
  const progressDeadlineSeconds = Number(values["progress-deadline"]);
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new InvalidInputError("--repetitions must be a whole number >= 1");
  if (!Number.isInteger(progressDeadlineSeconds) || progressDeadlineSeconds < 5)
    throw new InvalidInputError("--progress-deadline must be a whole number of seconds >= 5");
  const options = { repetitions, progressDeadlineSeconds };
  const results = await runAksDeployBench(options, (line) => console.error(line));
  console.log(renderAksDeployReport(results, options));
  return ExitCode.Ok;
});
