import { z } from "zod";

/**
 * How the API proves who it is to PostgreSQL: a password (the embedded server, the rehearsal's), or a Microsoft
 * Entra ID access token fetched for each new connection (Azure, through workload identity; no password exists).
 */
export type DatabaseAuth = { kind: "password"; password: string } | { kind: "entra" };

/** How the API reaches PostgreSQL: a URL, the deployment's parts, or an embedded server it starts. */
export type DatabaseSource =
  | { kind: "url"; url: string }
  | { kind: "parts"; host: string; port: number; name: string; user: string; auth: DatabaseAuth }
  | { kind: "embedded"; dataDir: string; port: number | undefined };

export type DbSsl = "disable" | "prefer" | "require" | "verify-full";

export interface LinkedInConfig {
  baseUrl: string | undefined;
  token: string | undefined;
  pageSize: number;
  maxPages: number;
  maxRetries: number;
  maxRetryAfterMs: number;
  timeoutMs: number;
}

/** How the HTTP server treats connections (node:http settings, see http/serve.ts). */
export interface ConnectionConfig {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export interface Config {
  port: number;
  host: string;
  metricsPort: number;
  connections: ConnectionConfig;
  /** Proxies in front of the API whose X-Forwarded-For entries are believed (0: use the peer address). */
  trustProxyHops: number;
  authFailuresPerMinute: number;
  database: DatabaseSource;
  dbSsl: DbSsl | undefined;
  dbPoolMax: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  corsOrigins: string[];
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  shutdownDrainMs: number;
  shutdownGraceMs: number;
  linkedin: LinkedInConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, {
      error: `must be an integer from ${min} to ${max}`,
    })
    .transform(Number);

const optionalInt = (min: number, max: number) =>
  z
    .string()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, {
      error: `must be an integer from ${min} to ${max}`,
    })
    .transform(Number)
    .optional();

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const schema = z.object({
  PORT: int(0, 65535, 8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  METRICS_PORT: int(0, 65535, 9464),
  HEADERS_TIMEOUT_MS: int(1, 600_000, 10_000),
  REQUEST_TIMEOUT_MS: int(1, 3_600_000, 30_000),
  KEEP_ALIVE_TIMEOUT_MS: int(1, 600_000, 5_000),
  MAX_CONNECTIONS: int(1, 1_000_000, 1024),
  TRUST_PROXY: int(0, 10, 0),
  AUTH_FAILURES_PER_MINUTE: int(0, 1_000_000, 60),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" })
    .optional(),
  DB_HOST: z.string().min(1).optional(),
  DB_PORT: optionalInt(1, 65535),
  DB_NAME: z.string().min(1).optional(),
  DB_USER: z.string().min(1).optional(),
  DB_PASSWORD: z.string().optional(),
  DB_AUTH: z.enum(["password", "entra"], { error: "must be password or entra" }).default("password"),
  DB_SSL: z
    .enum(["disable", "prefer", "require", "verify-full"], {
      error: "must be one of disable, prefer, require, verify-full",
    })
    .optional(),
  DB_POOL_MAX: int(1, 1000, 10),
  DATA_DIR: z.string().min(1).default(".data/postgres"),
  EMBEDDED_PG_PORT: optionalInt(1, 65535),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), {
      error: "must be a comma-separated list of origins such as https://app.example.com (no path)",
    }),
  BODY_LIMIT_BYTES: int(1, 100 * 1024 * 1024, 64 * 1024),
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000, 600),
  SHUTDOWN_DRAIN_MS: int(0, 600_000, 0),
  SHUTDOWN_GRACE_MS: int(0, 600_000, 25_000),
  LINKEDIN_BASE_URL: httpUrl.optional(),
  LINKEDIN_TOKEN: z.string().min(1).optional(),
  LINKEDIN_PAGE_SIZE: int(1, 100, 50),
  LINKEDIN_MAX_PAGES: int(1, 10_000, 100),
  LINKEDIN_MAX_RETRIES: int(0, 20, 5),
  LINKEDIN_MAX_RETRY_AFTER_MS: int(0, 3_600_000, 60_000),
  LINKEDIN_TIMEOUT_MS: int(1, 600_000, 15_000),
});

const DB_PART_KEYS = ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"] as const;

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset, as Kubernetes and shells often produce them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const shown = name.includes("PASSWORD") || name.includes("TOKEN") || name === "DATABASE_URL";
        const value = present[name];
        return `${name}: ${issue.message}${value !== undefined && !shown ? ` (got "${value}")` : ""}`;
      }),
    );
  }
  const e = parsed.data;
  // node:http refuses a headers timeout longer than the request timeout, which includes the headers.
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      `HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS (${e.HEADERS_TIMEOUT_MS} > ${e.REQUEST_TIMEOUT_MS})`,
    ]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    connections: {
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.MAX_CONNECTIONS,
    },
    trustProxyHops: e.TRUST_PROXY,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    database: databaseSource(e),
    dbSsl: e.DB_SSL,
    dbPoolMax: e.DB_POOL_MAX,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    linkedin: {
      baseUrl: e.LINKEDIN_BASE_URL,
      token: e.LINKEDIN_TOKEN,
      pageSize: e.LINKEDIN_PAGE_SIZE,
      maxPages: e.LINKEDIN_MAX_PAGES,
      maxRetries: e.LINKEDIN_MAX_RETRIES,
      maxRetryAfterMs: e.LINKEDIN_MAX_RETRY_AFTER_MS,
      timeoutMs: e.LINKEDIN_TIMEOUT_MS,
    },
  };
}

function databaseSource(e: z.output<typeof schema>): DatabaseSource {
  if (e.DB_AUTH === "entra") return entraSource(e);
  const given = DB_PART_KEYS.filter((k) => e[k] !== undefined);
  if (e.DATABASE_URL !== undefined) {
    if (given.length > 0) {
      throw new ConfigError([`DATABASE_URL: set either DATABASE_URL or ${given.join(", ")}, not both`]);
    }
    return { kind: "url", url: e.DATABASE_URL };
  }
  if (given.length > 0) {
    const missing = (["DB_HOST", "DB_NAME", "DB_USER", "DB_PASSWORD"] as const).filter(
      (k) => e[k] === undefined,
    );
    if (missing.length > 0) {
      throw new ConfigError(missing.map((k) => `${k}: required when ${given.join(", ")} is set`));
    }
    return {
      kind: "parts",
      host: e.DB_HOST ?? "",
      port: e.DB_PORT ?? 5432,
      name: e.DB_NAME ?? "",
      user: e.DB_USER ?? "",
      auth: { kind: "password", password: e.DB_PASSWORD ?? "" },
    };
  }
  return { kind: "embedded", dataDir: e.DATA_DIR, port: e.EMBEDDED_PG_PORT };
}

/**
 * Entra ID: the server and role come as parts; the password is a token, sent as a cleartext password
 * message, so TLS is required; a configured password or URL means a half-migrated deployment.
 */
function entraSource(e: z.output<typeof schema>): DatabaseSource {
  const problems = [
    ...(["DB_HOST", "DB_NAME", "DB_USER"] as const)
      .filter((k) => e[k] === undefined)
      .map((k) => `${k}: required when DB_AUTH is entra`),
    ...(e.DB_PASSWORD === undefined
      ? []
      : ["DB_PASSWORD: must be unset when DB_AUTH is entra (the password is an Entra ID token)"]),
    ...(e.DATABASE_URL === undefined
      ? []
      : ["DATABASE_URL: must be unset when DB_AUTH is entra (use DB_HOST, DB_PORT, DB_NAME, DB_USER)"]),
    ...(e.DB_SSL === "require" || e.DB_SSL === "verify-full"
      ? []
      : [
          `DB_SSL: must be require or verify-full when DB_AUTH is entra, the token must not cross the network in clear (got ${e.DB_SSL === undefined ? "nothing" : `"${e.DB_SSL}"`})`,
        ]),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind: "parts",
    host: e.DB_HOST ?? "",
    port: e.DB_PORT ?? 5432,
    name: e.DB_NAME ?? "",
    user: e.DB_USER ?? "",
    auth: { kind: "entra" },
  };
}
