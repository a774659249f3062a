// npm run bench:platform -- [--runtime simulated|docker] [--repetitions N] [--ready-after-ms MS]

import { ExitCode, runCli } from "../../local/common/exit-code.ts";
import { renderPlatformReport, runPlatformBench } from "./benchmark.ts";
import { renderDockerReport, runDockerPlatformBench } from "./docker-bench.ts";
import { parseOptions } from "./options.ts";

await runCli(async (argv) => {
  const options = parseOptions(argv);
  if (options.runtime === "docker") {
    console.log(renderDockerReport(await runDockerPlatformBench(options, (line) => console.error(line))));
  } else {
    const result = await runPlatformBench(options, (line) => console.error(line));
    console.log(renderPlatformReport(result, options));
  }
  return ExitCode.Ok;
});
