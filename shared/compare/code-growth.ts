/**
 * Where a replay step's new text is: the code before and after a token differ in one place (the
 * token and what the grammar forced after it), found as the span between their common prefix and
 * common suffix. Offsets are into `after`.
 */
export function changedSpan(before: string, after: string): [number, number] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return [start, after.length - end];
}
