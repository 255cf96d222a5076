import { randomBytes } from 'node:crypto';

/**
 * A lab server's per-launch token. The prefix keeps it from starting with `-`, which base64url
 * allows and which command-line parsers read as an option: `lab sweep create --token -X...` failed
 * as "argument is ambiguous" for about one launch in 32.
 */
export const newLaunchToken = (): string => `lt_${randomBytes(24).toString('base64url')}`;
