import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Does an `Authorization` header carry the expected bearer token? Constant time: both sides are
 * hashed to the same length first, so neither the content nor the length of the token leaks.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  return bearerMatcher(expected)(header);
}

/** {@link bearerMatches} for one expected token, hashed once (the daemon checks every request against it). */
export function bearerMatcher(expected: string): (header: string | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (header) => {
    const presented = header === undefined ? undefined : BEARER.exec(header)?.[1];
    // Compare even when nothing was presented, so a missing header costs the same as a wrong one.
    const same = timingSafeEqual(digest(presented ?? ''), expectedDigest);
    return presented !== undefined && same;
  };
}
