import type { HttpBindings } from "@hono/node-server";
import type { Principal } from "../auth/principal.ts";

/** The node:http request and response the app is served with, and what middleware puts on the context. */
export interface AppEnv {
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    principal: Principal;
  };
}
