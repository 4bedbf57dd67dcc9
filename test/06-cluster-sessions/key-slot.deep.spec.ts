import { describe, expect, it } from 'vitest';
import { crc16, hashedPart, keySlot, SLOT_COUNT } from '@kata/06-cluster-sessions/key-slot.js';
import { onCluster, useCluster, useRedis } from '../support/redis.js';
import { generatedKeys } from './keys.js';

const ns = useRedis();
const shared = useCluster(ns);

describe('crc16 (XMODEM): the corners', () => {
  it('is 0 for no bytes, and always fits in 16 bits', () => {
    expect(crc16(Buffer.alloc(0))).toBe(0);
    for (const key of generatedKeys(200)) {
      const crc = crc16(Buffer.from(key));
      expect(crc).toBeGreaterThanOrEqual(0);
      expect(crc).toBeLessThan(0x10000);
    }
  });
});

describe('keySlot: the corners', () => {
  it.each([
    ['}{a}', 15495, 'a } before the { does not matter'],
    ['{ }', 9314, 'a space is something inside'],
  ])('%j is in slot %i: %s', (key, slot) => {
    expect(keySlot(key)).toBe(slot);
  });

  it('hashedPart: a } with no { before it is no tag', () => {
    expect(hashedPart('ab}c').toString()).toBe('ab}c');
  });

  it('says what it got instead of a key', () => {
    expect(() => keySlot(null as unknown as string)).toThrow('keySlot: a key is a string or a Buffer, got null');
    expect(() => keySlot(undefined as unknown as string)).toThrow('keySlot: a key is a string or a Buffer, got undefined');
    expect(() => keySlot(42 as unknown as string)).toThrow('keySlot: a key is a string or a Buffer, got number');
  });

  it('spreads keys over the slots: 2,000 keys reach over 1,500 different slots', () => {
    const slots = new Set(generatedKeys(2_000).map((key) => keySlot(key)));
    expect(slots.size).toBeGreaterThan(1_500);
    for (const slot of slots) expect(slot).toBeLessThan(SLOT_COUNT);
  });

  onCluster()('agrees with CLUSTER KEYSLOT on the real cluster for 500 generated keys', async () => {
    const keys = generatedKeys(500);
    const node = shared.cluster.nodes('master')[0]!;
    const pipeline = node.pipeline();
    for (const key of keys) pipeline.call('CLUSTER', 'KEYSLOT', key);
    const server = (await pipeline.exec())!.map(([error, slot]) => {
      if (error) throw error;
      return slot;
    });
    expect(keys.map((key) => keySlot(key))).toEqual(server);
  });
});
