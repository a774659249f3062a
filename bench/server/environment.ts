import { availableParallelism, cpus, loadavg } from "node:os";
import { execFileAsync } from "../../local/common/exec-file.ts";
import { wrkVersion } from "./wrk.ts";

export const python = "/usr/bin/python3";

async function pythonStack(): Promise<string> {
  // uvicorn picks uvloop and httptools when they are installed (as with uvicorn[standard]), else asyncio and h11.
  const script =
    "import sys, importlib.util as u, fastapi, uvicorn, asyncpg, pydantic; " +
    "loop = 'uvloop' if u.find_spec('uvloop') else 'asyncio'; " +
    "http = 'httptools' if u.find_spec('httptools') else 'h11'; " +
    "print(f'Python {sys.version.split()[0]}, FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__} " +
    "({loop} + {http}), asyncpg {asyncpg.__version__}, pydantic {pydantic.VERSION}')";
  const { stdout } = await execFileAsync(python, ["-c", script]);
  return stdout.trim();
}

/** The lines that say what the figures were measured on. */
export async function describeEnvironment(postgresVersion: string): Promise<string[]> {
  return [
    `node ${process.version}; ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown model"}); load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")}`,
    `load generator: ${await wrkVersion()}`,
    `seed stack: ${await pythonStack()}`,
    `database: ${postgresVersion}`,
  ];
}
