/**
 * A maximum bipartite matching (augmenting paths): `edges[i][j]` says left i may pair with
 * right j. Returns left index → right index. Groups are small, so O(V·E) is plenty.
 */
export function maximumMatching(edges: readonly (readonly boolean[])[]): Map<number, number> {
  const rightToLeft = new Map<number, number>();
  const tryAssign = (left: number, visited: Set<number>): boolean => {
    const row = edges[left] ?? [];
    for (let right = 0; right < row.length; right++) {
      if (!row[right] || visited.has(right)) continue;
      visited.add(right);
      const holder = rightToLeft.get(right);
      if (holder === undefined || tryAssign(holder, visited)) {
        rightToLeft.set(right, left);
        return true;
      }
    }
    return false;
  };
  edges.forEach((_, left) => tryAssign(left, new Set()));
  return new Map([...rightToLeft].map(([right, left]) => [left, right]));
}
