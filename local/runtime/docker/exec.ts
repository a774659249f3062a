// Runs a command inside a running container (exec probes, exec preStop hooks) and reports its exit code.
import type { DockerEngine } from "../../docker-engine/engine-client.ts";
import { readAll } from "../../docker-engine/engine-client.ts";
import { demultiplex } from "./log-demux.ts";

export interface ExecResult {
  /** undefined when the command did not finish within the timeout. */
  exitCode: number | undefined;
  output: string;
}

export async function execInContainer(
  engine: DockerEngine,
  containerId: string,
  command: string[],
  timeoutMs: number,
): Promise<ExecResult> {
  const created = (await engine.json("POST", `/containers/${containerId}/exec`, {
    body: { Cmd: command, AttachStdout: true, AttachStderr: true, Tty: false },
  })) as { Id: string };
  const run = (async () => {
    const stream = await engine.stream("POST", `/exec/${created.Id}/start`, {
      body: { Detach: false, Tty: false },
    });
    const output = demultiplex(await readAll(stream));
    const inspect = (await engine.json("GET", `/exec/${created.Id}/json`)) as { ExitCode: number | null };
    return { exitCode: inspect.ExitCode ?? undefined, output };
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ExecResult>((resolve) => {
    timer = setTimeout(() => resolve({ exitCode: undefined, output: "" }), timeoutMs);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
