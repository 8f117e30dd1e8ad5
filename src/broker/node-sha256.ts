import { createHash } from 'node:crypto';
import type { Sha256 } from '../connectors/digest';

/**
 * The connectors' SHA-256 in the broker: `node:crypto` in the request's own turn. WebCrypto's digest is a
 * thread-pool job here, whose hand-offs cost more CPU than the hash and wake another thread per launch.
 */
export const nodeSha256: Sha256 = (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest());
