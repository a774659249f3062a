import type { Principal } from "../auth/principal.ts";

/** What middleware puts on the Hono context for the handlers after it. */
export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
  };
}
