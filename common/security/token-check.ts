/** The check of a presented cluster token, shared by the gRPC and HTTP servers. */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Compares presented tokens with the cluster token in constant time (over their digests). */
export class TokenCheck {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  /** Whether an `Authorization` header value is `Bearer <the cluster token>`. */
  acceptsBearer(header: unknown): boolean {
    return typeof header === 'string' && header.startsWith('Bearer ') && timingSafeEqual(digest(header.slice('Bearer '.length)), this.expected);
  }
}
