/**
 * Exercise 1 of 6: where a key lives in a Redis Cluster (source 6.1).
 *
 * The source connects to a cluster and never says how it decides which node
 * holds a key. Every client and every node compute the same thing: the key's
 * hash slot. Write it here; the README has the rule and its corner cases.
 */
import { todo } from '../../provided/todo.js';

/** The number of hash slots in every Redis Cluster. */
export const SLOT_COUNT = 16_384;

/**
 * CRC16-CCITT in its XMODEM variant (polynomial 0x1021, starting at 0, bits
 * not reflected): the checksum Redis Cluster uses. crc16("123456789") is 0x31C3.
 */
export function crc16(bytes: Uint8Array): number {
  // TODO: for each byte, xor it into the high byte of the crc, then shift 8 times.
  return todo('06-cluster-sessions', `crc16 of ${bytes.length} bytes`);
}

/**
 * The part of the key that is hashed: what lies between the first `{` and the
 * first `}` after it, when that is not empty; the whole key otherwise.
 */
export function hashedPart(key: string | Buffer): Buffer {
  // TODO: the hash-tag rule, on the key's UTF-8 bytes.
  return todo('06-cluster-sessions', `hashedPart(${JSON.stringify(String(key))})`);
}

/** The slot (0 to 16383) of a key, as `CLUSTER KEYSLOT` computes it. */
export function keySlot(key: string | Buffer): number {
  // TODO: crc16 of the hashed part, mod SLOT_COUNT.
  return todo('06-cluster-sessions', `keySlot(${JSON.stringify(String(key))})`);
}
