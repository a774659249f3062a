// A local certificate authority for the platform's HTTPS stand-ins (registry, ACR token service, AAD, ARM):
// the Azure SDK refuses bearer tokens over plain http, so every stand-in speaks TLS with a certificate from
// this CA, and clients trust it through NODE_EXTRA_CA_CERTS (Node) or certs.d (Docker).
// Certificates are made with @peculiar/x509 on node:crypto's WebCrypto: no dependency on an openssl CLI and
// no key material ever on a command line.
import { createHash, createPrivateKey } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import tls from "node:tls";
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const day = 24 * 60 * 60 * 1000;

export interface ServerCertificate {
  certPath: string;
  keyPath: string;
  /** PEM texts, for servers started in this process. */
  cert: string;
  key: string;
}

export function tlsDir(home: string): string {
  return join(home, "tls");
}

/** The CA certificate to hand to NODE_EXTRA_CA_CERTS (created by ensureLocalCa). */
export function caCertPath(home: string): string {
  return join(tlsDir(home), "ca.crt");
}

function caKeyPath(home: string): string {
  return join(tlsDir(home), "ca.key");
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

function privateKeyPem(der: ArrayBuffer): string {
  return createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" })
    .export({ type: "pkcs8", format: "pem" })
    .toString();
}

function pemBody(pem: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64"));
}

async function writeSecret(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

interface LoadedCa {
  cert: x509.X509Certificate;
  privateKey: CryptoKey;
}

/** Creates the CA once (kept in the state folder) and returns it; later calls load the same CA. */
export async function ensureLocalCa(home: string): Promise<LoadedCa> {
  await mkdir(tlsDir(home), { recursive: true, mode: 0o700 });
  if ((await exists(caCertPath(home))) && (await exists(caKeyPath(home)))) {
    const cert = new x509.X509Certificate(await readFile(caCertPath(home), "utf8"));
    const privateKey = await crypto.subtle.importKey(
      "pkcs8",
      pemBody(await readFile(caKeyPath(home), "utf8")),
      algorithm,
      false,
      ["sign"],
    );
    return { cert, privateKey };
  }
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=CloudJobHunt local platform CA",
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 3650 * day),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  await writeSecret(caKeyPath(home), privateKeyPem(await crypto.subtle.exportKey("pkcs8", keys.privateKey)));
  await writeFile(caCertPath(home), cert.toString("pem"));
  return { cert, privateKey: keys.privateKey };
}

/** Names every server certificate covers, besides the caller's own. */
export const loopbackNames = ["127.0.0.1", "localhost", "::1"];

/** Issues (once) a CA-signed certificate and key kept as <name>.crt/.key in the TLS folder. */
async function issueOnce(
  home: string,
  fileBase: string,
  subject: string,
  extensions: (ca: LoadedCa) => Promise<x509.Extension[]>,
): Promise<ServerCertificate> {
  const certPath = join(tlsDir(home), `${fileBase}.crt`);
  const keyPath = join(tlsDir(home), `${fileBase}.key`);
  if ((await exists(certPath)) && (await exists(keyPath))) {
    const [cert, key] = [await readFile(certPath, "utf8"), await readFile(keyPath, "utf8")];
    return { certPath, keyPath, cert, key };
  }
  const ca = await ensureLocalCa(home);
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const leaf = await x509.X509CertificateGenerator.create({
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 365 * day),
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      ...(await extensions(ca)),
    ],
  });
  // The chain (leaf then CA) so that clients which only trust the CA verify without fetching anything.
  const cert = `${leaf.toString("pem")}\n${ca.cert.toString("pem")}\n`;
  const key = privateKeyPem(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  await writeSecret(keyPath, key);
  await writeFile(certPath, cert);
  return { certPath, keyPath, cert, key };
}

/**
 * A server certificate for the given host names and addresses, signed by the local CA. Issued once per set
 * of names (the file name carries a hash of them) and reused afterwards.
 */
export async function issueServerCertificate(
  home: string,
  name: string,
  hosts: readonly string[] = [],
): Promise<ServerCertificate> {
  const names = [...new Set([...loopbackNames, ...hosts])].sort();
  const tag = createHash("sha256").update(names.join(",")).digest("hex").slice(0, 12);
  return issueOnce(home, `${name}-${tag}`, `CN=${names.find((host) => !isIP(host)) ?? name}`, async () => [
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(
      names.map((host): x509.JsonGeneralName => ({ type: isIP(host) ? "ip" : "dns", value: host })),
    ),
  ]);
}

/**
 * A signing certificate (digital signatures only), e.g. for the token issuer whose JWTs the registry checks
 * against this certificate (distribution's auth.token.rootcertbundle).
 */
export async function issueSigningCertificate(home: string, name: string): Promise<ServerCertificate> {
  return issueOnce(home, `${name}-signing`, `CN=${name} token signing`, async () => [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  ]);
}

/**
 * Makes this process trust the local CA for every TLS client (the Azure SDK's pipeline and MSAL build their
 * own agents, so a per-agent `ca` does not reach them). The equivalent of starting Node with
 * NODE_EXTRA_CA_CERTS=caCertPath(home), for a process that is already running.
 */
export async function trustLocalCaInThisProcess(home: string): Promise<void> {
  const ca = await readFile(caCertPath(home), "utf8");
  const current = tls.getCACertificates("default");
  if (!current.includes(ca.trim()) && !current.includes(ca)) tls.setDefaultCACertificates([...current, ca]);
}
