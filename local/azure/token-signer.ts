// One signing key for every token the stand-ins issue (AAD access tokens, ACR refresh and access tokens,
// the federated tokens of the stand-in OIDC issuer). Its certificate, from the local CA, is what the
// registry trusts for token auth (distribution's rootcertbundle).
import { createHash, createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { exportJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { issueSigningCertificate } from "../tls/local-ca.ts";

/**
 * The key id distribution (libtrust) computes for a public key: SHA-256 of its DER SubjectPublicKeyInfo,
 * first 240 bits, base32 in twelve groups of four. The registry finds the verifying key by this `kid`.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const digest = createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest()
    .subarray(0, 30);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const byte of digest) bits += byte.toString(2).padStart(8, "0");
  const base32 = (bits.match(/.{5}/g) ?? []).map((chunk) => alphabet[Number.parseInt(chunk, 2)]).join("");
  return (base32.match(/.{4}/g) ?? []).join(":");
}

export interface SignOptions {
  issuer: string;
  audience: string | string[];
  subject: string;
  lifetimeSeconds: number;
}

export class TokenSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    readonly keyId: string,
    /** The signing certificate file (for the registry's rootcertbundle). */
    readonly certificatePath: string,
  ) {}

  static async load(home: string): Promise<TokenSigner> {
    const signing = await issueSigningCertificate(home, "azure-stand-ins");
    const publicKey = new X509Certificate(signing.cert).publicKey;
    return new TokenSigner(
      createPrivateKey(signing.key),
      publicKey,
      libtrustKeyId(publicKey),
      signing.certPath,
    );
  }

  sign(claims: JWTPayload, options: SignOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: this.keyId })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(options.subject)
      .setIssuedAt(now)
      .setNotBefore(now - 60)
      .setExpirationTime(now + options.lifetimeSeconds)
      .setJti(crypto.randomUUID())
      .sign(this.privateKey);
  }

  /** The token's claims if this signer issued it for that issuer and one of those audiences; throws otherwise. */
  async verify(token: string, issuer: string, audience: string | string[]): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, { issuer, audience, algorithms: ["ES256"] });
    return payload;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [{ ...(await exportJWK(this.publicKey)), kid: this.keyId, use: "sig", alg: "ES256" }] };
  }
}
