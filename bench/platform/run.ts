// npm run bench:platform -- [--runtime simulated|docker] [--repetitions N] [--ready-after-ms MS]
import { renderPlatformReport, runPlatformBench } from "./benchmark.ts";
import { renderDockerReport, runDockerPlatformBench } from "./docker-bench.ts";
import { parseOptions } from "./options.ts";

try {
  const options = parseOptions(process.argv.slice(2));
  if (options.runtime === "docker") {
    console.log(renderDockerReport(await runDockerPlatformBench(options, (line) => console.error(line))));
  } else {
    const result = await runPlatformBench(options, (line) => console.error(line));
    console.log(renderPlatformReport(result, options));
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
