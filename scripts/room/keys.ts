/**
 * Where a room lives in Redis: every key and the one channel sit under
 * `cachelings:room:<code>:`, so a room is read, expired and deleted as one
 * prefix, and nothing outside it is touched.
 *
 *   <prefix>meta                        the room: created, expiresAt, sha256 of the instructor secret (instructor only)
 *   <prefix>learner:<id>:name           who a learner is (written by that learner)
 *   <prefix>learner:<id>:lesson:<NN>    a learner's last run of lesson NN (written by that learner)
 *   <prefix>events                      pub/sub channel: "<id>" when a learner wrote something
 */
import { randomBytes } from 'node:crypto';

/** Room codes: 10 characters of an alphabet without look-alikes (no 0/o, 1/l/i): 50 bits, read aloud easily. */
const codeAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
export const codePattern = /^[a-hjkmnp-z2-9]{10}$/;
/** Learner ids: 128 random bits, hex. Unguessable, and never shown to other learners. */
export const learnerIdPattern = /^[0-9a-f]{32}$/;

export function newRoomCode(): string {
  // 256 % 31 != 0, so reject the top bytes rather than bias the first letters.
  let code = '';
  while (code.length < 10) {
    for (const byte of randomBytes(16)) {
      if (byte < 248 && code.length < 10) code += codeAlphabet[byte % codeAlphabet.length];
    }
  }
  return code;
}

export const newSecret = (): string => randomBytes(24).toString('base64url');
export const newLearnerId = (): string => randomBytes(16).toString('hex');

export interface RoomKeys {
  readonly code: string;
  /** Every key of the room starts with it. */
  readonly prefix: string;
  readonly meta: string;
  readonly channel: string;
  /** What a learner may write: its own keys all match it (an ACL key pattern). */
  readonly learnerPattern: string;
  /** The per-room ACL user that learners connect as. */
  readonly aclUser: string;
  learnerName(id: string): string;
  learnerLesson(id: string, lesson: number): string;
}

export function roomKeys(code: string): RoomKeys {
  if (!codePattern.test(code)) {
    throw new Error(`"${code}" is not a room code: it is 10 letters and digits, as \`npm run room -- start\` printed it`);
  }
  const prefix = `cachelings:room:${code}:`;
  return {
    code,
    prefix,
    meta: `${prefix}meta`,
    channel: `${prefix}events`,
    learnerPattern: `${prefix}learner:*`,
    aclUser: `cachelings-room-${code}`,
    learnerName: (id) => `${prefix}learner:${id}:name`,
    learnerLesson: (id, lesson) => `${prefix}learner:${id}:lesson:${String(lesson).padStart(2, '0')}`,
  };
}
