/** The `count` valid actions with the largest values, best first; ties go to the lower action index. */
export function topValid(q: Float32Array, mask: Uint8Array, count: number): [number, number][] {
  const top: [number, number][] = [];
  for (let a = 0; a < q.length; a++) {
    if (!mask[a]) continue;
    const v = q[a]!;
    if (top.length === count && v <= top[count - 1]![1]) continue;
    let k = Math.min(top.length, count - 1);
    top[k] = [a, v];
    for (; k > 0 && top[k - 1]![1] < v; k--) [top[k - 1], top[k]] = [top[k]!, top[k - 1]!];
  }
  return top;
}

