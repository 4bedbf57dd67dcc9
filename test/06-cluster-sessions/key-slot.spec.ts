import { describe, expect, it } from 'vitest';
import { crc16, hashedPart, keySlot, SLOT_COUNT } from '@kata/06-cluster-sessions/key-slot.js';
import { expectRefusal } from '../support/refusal.js';

describe('crc16 (XMODEM)', () => {
  it('gives the standard check value: crc16("123456789") is 0x31C3', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });
});

describe('keySlot', () => {
  it('has 16,384 slots', () => {
    expect(SLOT_COUNT).toBe(16_384);
  });

  it.each([
    ['123456789', 12739],
    ['foo', 12182],
    ['bar', 5061],
    ['hello', 866],
    ['', 0],
  ])('puts %j in slot %i, as CLUSTER KEYSLOT does', (key, slot) => {
    expect(keySlot(key)).toBe(slot);
  });

  it('hashes only the hash tag: user:{42}:profile and user:{42}:orders share the slot of "42"', () => {
    expect(keySlot('user:{42}:profile')).toBe(8000);
    expect(keySlot('user:{42}:orders')).toBe(8000);
    expect(keySlot('42')).toBe(8000);
    expect(keySlot('{user1000}.following')).toBe(3443);
  });

  it.each([
    ['{}x{y}', 2166, 'an empty first {} is no tag, and the search does not go on to {y}'],
    ['a{b', 13340, 'a { with no } after it is no tag'],
    ['{a}{b}', 15495, 'only the first tag counts'],
    ['{{a}}', 10276, 'the tag runs from the first { to the first } after it: "{a"'],
  ])('%j is in slot %i: %s', (key, slot) => {
    expect(keySlot(key)).toBe(slot);
  });

  it('hashes the UTF-8 bytes Redis receives, not JavaScript\'s UTF-16 code units', () => {
    expect(keySlot('é')).toBe(10180);
    expect(keySlot('ключ')).toBe(10303);
    expect(keySlot('🙂')).toBe(6396);
  });

  it('takes a Buffer key (binary keys exist) and agrees with the same key as a string', () => {
    expect(keySlot(Buffer.from('user:{42}:profile'))).toBe(8000);
    expect(keySlot(Buffer.from([0xff, 0x00, 0x7b, 0x61, 0x7d]))).toBe(15495); // \xff\0{a}: the tag is "a"
  });

  it('hashedPart says which part was hashed', () => {
    expect(hashedPart('user:{42}:profile').toString()).toBe('42');
    expect(hashedPart('{}x{y}').toString()).toBe('{}x{y}');
    expect(hashedPart('plain').toString()).toBe('plain');
  });

  it('refuses what is not a key with a TypeError that names the key, instead of hashing "undefined"', async () => {
    for (const bad of [undefined, null, 42, { key: 'a' }]) await expectRefusal(() => keySlot(bad as unknown as string), TypeError, 'key');
  });
});
