/** What the lesson's specs share: keys of every shape, always the same ones. */

const pieces = ['user', 'order', ':', '{', '}', '{}', '42', 'é', 'ключ', '🙂', ' ', '*', '?', '[a]', '\\', 'x'];

/** `count` keys built from pieces that matter to the slot rule (braces, UTF-8, glob characters), the same on every run. */
export function generatedKeys(count: number): string[] {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4_294_967_296;
  };
  return Array.from({ length: count }, (_, i) => {
    let key = '';
    const length = 1 + Math.floor(random() * 6);
    for (let p = 0; p < length; p++) key += pieces[Math.floor(random() * pieces.length)];
    return `${key}${i}`;
  });
}
