/**
 * `groupBy(items, keyOf)`: the items in groups by a key, in the order they
 * came, as `Map.groupBy` does (ES2024, newer than the kata's TypeScript lib).
 * Given to lesson 06, whose cluster helpers group keys by slot and slots by node.
 */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
