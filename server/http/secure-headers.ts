/**
 * The security headers every response carries (Hono's secureHeaders defaults). They are fixed, so the
 * HTTP server writes them on each response itself (see serve.ts) instead of a middleware editing every
 * Response's Headers object, which costs more than the rest of a /healthz answer.
 */
export const SECURE_HEADERS: readonly (readonly [string, string])[] = [
  ["cross-origin-opener-policy", "same-origin"],
  ["cross-origin-resource-policy", "same-origin"],
  ["origin-agent-cluster", "?1"],
  ["referrer-policy", "no-referrer"],
  ["strict-transport-security", "max-age=15552000; includeSubDomains"],
  ["x-content-type-options", "nosniff"],
  ["x-dns-prefetch-control", "off"],
  ["x-download-options", "noopen"],
  ["x-frame-options", "SAMEORIGIN"],
  ["x-permitted-cross-domain-policies", "none"],
  ["x-xss-protection", "0"],
];
