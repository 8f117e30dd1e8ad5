import { randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { IdTokenFault } from './org-idp-fixtures';

/**
 * The `idTokenFault` setting: the token endpoint's `id_token` is swapped for one with a single defect, so a relying
 * party can be shown to refuse each. Defects that keep a signature are re-signed (RS256) with the provider's own key,
 * so only the named check can catch them.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

function resign(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export function damageIdToken(idToken: string, fault: Exclude<IdTokenFault, 'none'>, key: KeyObject, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const [headerPart = '', payloadPart = '', signaturePart = ''] = idToken.split('.');
  const header = json(headerPart);
  const payload = json(payloadPart);
  switch (fault) {
    case 'wrong-iss':
      // A near miss (same host, another realm): only an exact comparison catches it.
      return resign(header, { ...payload, iss: `${String(payload['iss'])}/other-realm` }, key);
    case 'wrong-aud':
      return resign(header, { ...payload, aud: 'another-client' }, key);
    case 'wrong-nonce':
      return resign(header, { ...payload, nonce: randomBytes(16).toString('base64url') }, key);
    case 'expired': {
      // An hour past expiry: beyond any clock tolerance a client may allow.
      const lifetime = Number(payload['exp']) - Number(payload['iat']);
      const exp = nowSeconds - 3600;
      const iat = exp - lifetime;
      const authTime = Math.min(Number(payload['auth_time'] ?? iat), iat);
      return resign(header, { ...payload, iat, exp, auth_time: authTime }, key);
    }
    case 'unsigned': {
      const { kid: _kid, ...rest } = header;
      return `${b64({ ...rest, alg: 'none' })}.${payloadPart}.`;
    }
    case 'weak-acr':
      // A password-only sign-in where the client asked for more (correctly signed: only an acr check catches it).
      return resign(header, { ...payload, acr: 'AAL1_USERPASS' }, key);
    case 'bad-signature': {
      // Flip one bit of the decoded signature (a base64url character's padding bits might not change it).
      const signature = Buffer.from(signaturePart, 'base64url');
      signature[0] = (signature[0] ?? 0) ^ 0x01;
      return `${headerPart}.${payloadPart}.${signature.toString('base64url')}`;
    }
  }
}

/**
 * Rewrites the `id_token` of the JSON body the token endpoint is about to send. oidc-provider (Koa) sends the whole
 * body with one `res.end(body)` before the headers are written, so the length can still be corrected.
 */
export function rewriteIdTokenOnEnd(res: ServerResponse, rewrite: (idToken: string) => string): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (res.statusCode === 200 && !res.headersSent && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      try {
        const body = JSON.parse(Buffer.from(chunk).toString('utf8')) as Record<string, unknown>;
        if (typeof body['id_token'] === 'string') {
          const replaced = JSON.stringify({ ...body, id_token: rewrite(body['id_token']) });
          res.setHeader('content-length', Buffer.byteLength(replaced));
          return end(replaced, ...rest);
        }
      } catch {
        // Not JSON: sent as it is.
      }
    }
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
}
