import { DaemonBodyTooDeepError } from './errors.js';

/** Deepest nesting of arrays and objects a request body may have (the body itself is level 1). */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuse JSON text nested deeper than `maxDepth` before it is parsed: one pass over the characters,
 * without recursion, so that 100,000 nested arrays cannot overflow a stack in the validator or a driver.
 * Only the nesting is checked; whether the text is JSON at all is the parser's business.
 * @throws DaemonBodyTooDeepError
 */
export function assertJsonDepth(text: string, maxDepth: number = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > maxDepth) throw new DaemonBodyTooDeepError(maxDepth);
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
}
