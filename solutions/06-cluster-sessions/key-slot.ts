/**
 * Where a key lives in a Redis Cluster (source 6.1).
 *
 * A cluster splits the keyspace into 16,384 hash slots and gives each master
 * a share of them. A key's slot is CRC16 of the key, mod 16384, so every
 * client and every node agree on it without asking anyone.
 *
 * The hash tag: when a key has a `{…}` with something inside, only that part
 * is hashed. `user:{42}:profile` and `user:{42}:orders` hash "42", land in the
 * same slot, and may meet in one MGET, MULTI or Lua script.
 */

/** The number of hash slots in every Redis Cluster. */
export const SLOT_COUNT = 16_384;

/**
 * CRC16-CCITT in its XMODEM variant (polynomial 0x1021, starting at 0, bits
 * not reflected): the checksum Redis Cluster uses. crc16("123456789") is 0x31C3.
 */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    }
    crc &= 0xffff;
  }
  return crc;
}

/**
 * The part of the key that is hashed: what lies between the first `{` and the
 * first `}` after it, when that is not empty; the whole key otherwise.
 * `{}x{y}` has an empty first tag, so the whole key is hashed, not "y".
 */
export function hashedPart(key: string | Buffer): Buffer {
  const bytes = toBytes(key);
  const open = bytes.indexOf(0x7b); // {
  if (open === -1) return bytes;
  const close = bytes.indexOf(0x7d, open + 1); // }
  if (close === -1 || close === open + 1) return bytes;
  return bytes.subarray(open + 1, close);
}

/** The slot (0 to 16383) of a key, as `CLUSTER KEYSLOT` computes it. */
export function keySlot(key: string | Buffer): number {
  return crc16(hashedPart(key)) % SLOT_COUNT;
}

// Redis hashes the bytes it receives, and ioredis sends strings as UTF-8.
function toBytes(key: string | Buffer): Buffer {
  if (typeof key === 'string') return Buffer.from(key); // UTF-8, Buffer.from's default
  if (Buffer.isBuffer(key)) return key;
  throw new TypeError(`keySlot: a key is a string or a Buffer, got ${key === null ? 'null' : typeof key}`);
}
