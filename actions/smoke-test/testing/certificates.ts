import { createPrivateKey } from "node:crypto";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface TestCa {
  /** PEM, for ca-file. */
  pem: string;
  issue(options: {
    hosts: string[];
    notBefore?: Date;
    notAfter: Date;
  }): Promise<{ cert: string; key: string }>;
}

/** A throw-away CA for the TLS tests: certificates with chosen names and validity dates. */
export async function createTestCa(name = "Smoke test CA"): Promise<TestCa> {
  const caKeys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    keys: caKeys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return {
    pem: caCert.toString("pem"),
    async issue({ hosts, notBefore = new Date(Date.now() - DAY_MS), notAfter }) {
      const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
      const cert = await x509.X509CertificateGenerator.create({
        subject: `CN=${hosts[0]}`,
        issuer: caCert.subject,
        notBefore,
        notAfter,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: algorithm,
        extensions: [
          new x509.SubjectAlternativeNameExtension(hosts.map((value) => ({ type: "dns" as const, value }))),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        ],
      });
      const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
      const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({
        type: "pkcs8",
        format: "pem",
      });
      return { cert: cert.toString("pem"), key: key.toString() };
    },
  };
}
