import { createHash, createHmac, createSign, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';

/**
 * Signs JWTs for one simulator. id_tokens are RS256 with a key published through the JWKS endpoint (openid-client
 * verifies them); the RSA key is made on first use because generating it costs ~250 ms of CPU and most simulators
 * (Custom Connection tests) never need it. Access tokens, which no client verifies, are HS256 with a random secret.
 */
export class RsaSigner {
  readonly kid = randomUUID();
  readonly #hmacSecret = randomBytes(32);
  #keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

  jwk(): Record<string, unknown> {
    return { ...this.#keyPair().publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  /** RS256, verifiable with jwk(). */
  sign(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.#keyPair().privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** HS256 with a secret only this simulator knows: JWT-shaped like Xero's access tokens, cheap to mint. */
  signOpaque(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createHmac('sha256', this.#hmacSecret).update(`${header}.${payload}`).digest();
    return `${header}.${payload}.${base64url(signature)}`;
  }

  #keyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
    this.#keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.#keys;
  }
}

/** OpenID Connect at_hash: left half of SHA-256 of the access token, base64url. openid-client checks it when present. */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return base64url(digest.subarray(0, digest.length / 2));
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}
