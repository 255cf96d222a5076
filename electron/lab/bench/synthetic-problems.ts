/**
 * A deterministic problem file of the size the import promise is about (5,000 problems, ~15 MB):
 * each problem has 40 tests over int lists and floats, so numbers dominate, as in real sets.
 */
export function syntheticProblemFile(problemCount = 5000, testsPerProblem = 40): string {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
  const problems: string[] = [];
  for (let i = 0; i < problemCount; i++) {
    const tests: string[] = [];
    for (let t = 0; t < testsPerProblem; t++) {
      const xs = Array.from({ length: 8 }, () => (next() % 2001) - 1000);
      const y = (next() % 1000) / 8 + 0.125;
      tests.push(`[[[${xs.join(', ')}], ${y}], ${xs.reduce((a, b) => a + b, 0) + y}]`);
    }
    problems.push(
      `{"function_name": "f_${i}", "docstring": "Return the sum of xs plus y. Problem ${i} of a synthetic set used to check import speed and memory.", ` +
        `"parameters": ["xs", "y"], "starter_code": "", "tags": ["synthetic"], "test_cases": [${tests.join(', ')}]}`,
    );
  }
  return `{"name": "synthetic", "problems": [\n${problems.join(',\n')}\n]}\n`;
}
