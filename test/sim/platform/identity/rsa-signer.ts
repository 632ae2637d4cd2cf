import { createHash, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

/** Signs RS256 JWTs (id_tokens, access tokens) with a key made per simulator, published through the JWKS endpoint. */
export class RsaSigner {
  readonly kid = randomUUID();
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
  }

  jwk(): Record<string, unknown> {
    return { ...this.#publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  sign(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.#privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
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
