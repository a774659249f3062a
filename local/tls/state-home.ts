// Where the platform keeps its state (CA, credentials, registry storage, engine data): `.platform/` under
// the working directory unless PLATFORM_HOME says otherwise. Nothing in it is ever committed.
import { resolve } from "node:path";

export function platformHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PLATFORM_HOME ?? ".platform");
}
