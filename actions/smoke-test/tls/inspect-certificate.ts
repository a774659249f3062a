import { once } from "node:events";
import { isIP } from "node:net";
import { connect } from "node:tls";
import { bareHost, type HttpTarget, urlPort } from "../http/client.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateResult {
  host: string;
  passed: boolean;
  subject?: string;
  issuer?: string;
  /** Names the certificate is valid for (subjectAltName). */
  names?: string;
  validFrom?: string;
  validTo?: string;
  daysLeft?: number;
  failures: string[];
}

/**
 * Fetches the certificate served for the URL's host (SNI) and checks that it names the host, chains to the
 * CA file (or the system's CAs) and stays valid for at least `minDays` more days.
 */
export async function inspectCertificate(
  target: HttpTarget,
  minDays: number,
  now = new Date(),
): Promise<CertificateResult> {
  const host = bareHost(target.url.hostname);
  const socket = connect({
    host: target.connectTo?.host ?? host,
    port: target.connectTo?.port ?? urlPort(target.url),
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(target.ca === undefined ? {} : { ca: target.ca }),
    rejectUnauthorized: false,
    timeout: target.requestTimeoutMs,
  });
  socket.on("timeout", () =>
    socket.destroy(new Error(`no TLS handshake within ${target.requestTimeoutMs} ms`)),
  );
  try {
    await once(socket, "secureConnect");
  } catch (error) {
    return {
      host,
      passed: false,
      failures: [`TLS handshake with ${host} failed: ${(error as Error).message}`],
    };
  }
  const cert = socket.getPeerX509Certificate();
  const authorized = socket.authorized;
  const authorizationError = socket.authorizationError;
  socket.destroy();
  if (cert === undefined) return { host, passed: false, failures: [`${host} sent no certificate`] };

  const validFrom = cert.validFromDate;
  const validTo = cert.validToDate;
  const dates = `valid from ${validFrom.toISOString()} to ${validTo.toISOString()}`;
  const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
  const names = cert.subjectAltName ?? "";
  const failures: string[] = [];
  const matches = isIP(host) === 0 ? cert.checkHost(host) : cert.checkIP(host);
  if (matches === undefined) {
    failures.push(`certificate is for ${names || cert.subject}, not ${host} (${dates})`);
  }
  // Node folds the host name check into `authorized`; that one is reported above, with the names.
  if (!authorized && String(authorizationError) !== "ERR_TLS_CERT_ALTNAME_INVALID") {
    const store = target.ca === undefined ? "the system's CAs" : "the CA file";
    failures.push(`certificate does not chain to ${store}: ${String(authorizationError)} (${dates})`);
  }
  if (validFrom > now) failures.push(`certificate is not valid yet: ${dates}`);
  const needed = new Date(now.getTime() + minDays * DAY_MS);
  if (validTo < needed) {
    failures.push(
      `certificate expires ${validTo.toISOString()} (${daysLeft} days left), before ${needed.toISOString()} ` +
        `(min-cert-days ${minDays}); ${dates}`,
    );
  }
  return {
    host,
    passed: failures.length === 0,
    subject: cert.subject,
    issuer: cert.issuer,
    names,
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    daysLeft,
    failures,
  };
}
