/**
 * Writes data/problems/humaneval.jsonl and mbpp.jsonl (one problem of ours per line), their
 * ATTRIBUTION.md and licenses, from the raw datasets in ../shared/datasets:
 *   node --import tsx electron/lab/problems/formats/build-bundled-datasets.ts [DATASETS_DIR] [OUT_DIR]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { BUNDLED_PROBLEMS_DIR, PROJECT_ROOT } from '#lab/paths.ts';
import { convertAssertRecords, type AssertRecordFormat } from './assert-converter.ts';

export const DEFAULT_DATASETS_DIR = resolve(PROJECT_ROOT, '..', 'shared', 'datasets');

export interface DatasetCounts {
  name: string;
  records: number;
  /** Every test became an `[input, expected]` pair. */
  fully: number;
  /** Some tests are kept as assert-style snippets. */
  partly: number;
  unconvertible: { source: string; error: string }[];
  testPairs: number;
  assertsKept: number;
  testsSkipped: number;
}

interface DatasetSpec {
  name: 'humaneval' | 'mbpp';
  format: AssertRecordFormat;
  file: string;
}

const DATASETS: DatasetSpec[] = [
  { name: 'humaneval', format: 'humaneval', file: 'HumanEval.jsonl.gz' },
  { name: 'mbpp', format: 'mbpp', file: 'mbpp.jsonl' },
];

function readJsonl(path: string): unknown[] {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (error) {
        throw new Error(`${path}:${i + 1}: ${(error as Error).message}`);
      }
    });
}

async function buildOne(spec: DatasetSpec, datasetsDir: string, outDir: string): Promise<DatasetCounts> {
  const records = readJsonl(join(datasetsDir, spec.file));
  const results = await convertAssertRecords(records.map((record) => ({ format: spec.format, record })));
  const counts: DatasetCounts = { name: spec.name, records: records.length, fully: 0, partly: 0, unconvertible: [], testPairs: 0, assertsKept: 0, testsSkipped: 0 };
  const lines: string[] = [];
  results.forEach((result, i) => {
    if ('error' in result) {
      const taskId = (records[i] as { task_id?: unknown }).task_id;
      counts.unconvertible.push({ source: `${spec.name}/${String(taskId ?? i)}`, error: result.error });
      return;
    }
    lines.push(JSON.stringify(result.problem));
    counts[result.stats.asserts_kept === 0 ? 'fully' : 'partly']++;
    counts.testPairs += result.stats.pairs;
    counts.assertsKept += result.stats.asserts_kept;
    counts.testsSkipped += result.stats.skipped.length;
  });
  writeFileSync(join(outDir, `${spec.name}.jsonl`), lines.join('\n') + '\n');
  return counts;
}

/** Converts both datasets into outDir and writes the attribution; returns what it counted. */
export async function buildBundledDatasets(datasetsDir = DEFAULT_DATASETS_DIR, outDir = BUNDLED_PROBLEMS_DIR): Promise<DatasetCounts[]> {
  mkdirSync(join(outDir, 'licenses'), { recursive: true });
  const counts: DatasetCounts[] = [];
  for (const spec of DATASETS) counts.push(await buildOne(spec, datasetsDir, outDir));
  // Written, not copied: a copy would keep the source's read-only mode and block the next build.
  writeFileSync(join(outDir, 'licenses', 'HumanEval.LICENSE'), readFileSync(join(datasetsDir, 'HumanEval.LICENSE')));
  writeFileSync(join(outDir, 'licenses', 'MBPP.CC-BY-4.0.md'), MBPP_NOTICE);
  writeFileSync(join(outDir, 'ATTRIBUTION.md'), attribution(counts));
  return counts;
}

export function formatCounts(c: DatasetCounts): string {
  return (
    `${c.name}: ${c.records} problems: ${c.fully} fully converted (all tests pairs), ${c.partly} partly (some tests kept as asserts), ` +
    `${c.unconvertible.length} unconvertible; ${c.testPairs} test pairs, ${c.assertsKept} asserts kept, ${c.testsSkipped} tests skipped`
  );
}

const MBPP_NOTICE = `# MBPP license notice

\`data/problems/mbpp.jsonl\` is adapted from the Mostly Basic Python Problems dataset (MBPP),
Copyright Google LLC, published at https://github.com/google-research/google-research/tree/master/mbpp
and licensed under the Creative Commons Attribution 4.0 International License (CC BY 4.0):
https://creativecommons.org/licenses/by/4.0/ (full legal code: https://creativecommons.org/licenses/by/4.0/legalcode).

Citation: Austin, J., Odena, A., Nye, M., et al. "Program Synthesis with Large Language Models",
arXiv:2108.07732, 2021.

Changes: each record was converted to RL Code Lab's problem format as described in
\`../ATTRIBUTION.md\`. The original text, reference code and tests are kept; no endorsement by the
authors or licensors is implied.
`;

function attribution(counts: DatasetCounts[]): string {
  const rows = counts
    .map((c) => `| \`${c.name}.jsonl\` | ${c.records} | ${c.fully} | ${c.partly} | ${c.unconvertible.length} | ${c.testPairs} | ${c.assertsKept} | ${c.testsSkipped} |`)
    .join('\n');
  const failures = counts.flatMap((c) => c.unconvertible.map((u) => `- ${u.source}: ${u.error}`));
  return `# Bundled datasets: sources, licenses, changes

Generated by \`electron/lab/problems/formats/build-bundled-datasets.ts\`; do not edit by hand.

| file | source | license |
| --- | --- | --- |
| \`humaneval.jsonl\` | HumanEval, OpenAI: https://github.com/openai/human-eval (\`data/HumanEval.jsonl.gz\`). Chen, M., et al. "Evaluating Large Language Models Trained on Code", arXiv:2107.03374, 2021. | MIT, Copyright (c) OpenAI: \`licenses/HumanEval.LICENSE\` |
| \`mbpp.jsonl\` | MBPP, Google: https://github.com/google-research/google-research/tree/master/mbpp (\`mbpp.jsonl\`, from a vendored copy in which a few characters differ in tasks 147-945). Austin, J., et al. "Program Synthesis with Large Language Models", arXiv:2108.07732, 2021. | CC BY 4.0: \`licenses/MBPP.CC-BY-4.0.md\` |

## What was changed
Each record became one problem in the lab's format (\`shared/problems/problem.ts\`), by parsing its
test code with Python's \`ast\` (\`resources/python/convert_tests.py\`); no dataset code was run to convert it.
- \`function_name\`: HumanEval's \`entry_point\`; for MBPP the function the asserts call, as the reference code defines it.
- \`docstring\`: HumanEval: the entry point's docstring from \`prompt\`; MBPP: \`text\`.
- \`parameters\`: the positional parameters of that \`def\` (they fix the arity rule: a one-parameter
  function gets the input as its argument, otherwise the input is the argument list).
- \`starter_code\`: HumanEval: \`prompt\` unchanged; MBPP: the signature with \`text\` as its docstring,
  after any helper class the tests build inputs with (e.g. \`Node\`).
- \`reference_solution\`: HumanEval: \`prompt + canonical_solution\`; MBPP: \`code\` with CRLF line ends made LF.
- \`test_cases\`: asserts of the forms \`f(args) == value\` (either side), \`is True/False/None\`, bare
  \`f(x)\` (expected True), \`not f(x)\` (expected False), \`math.isnan(f(x))\` (expected NaN),
  \`abs(f(x) - y) < tol\` and \`math.isclose(f(x), y, ...)\` became \`[input, expected]\` pairs in tagged
  JSON, with values computed exactly from literals (floats, big ints, tuples, sets and dicts keep their
  types). Loops over constants whose body is only such asserts were unrolled into pairs. MBPP's
  \`challenge_test_list\` asserts are included with \`test_list\`.
- \`tolerance\`: set from the tolerance that most of a problem's tolerance asserts share (it then also
  applies to the problem's exact \`==\` pairs); asserts with another tolerance are kept as asserts.
  \`abs(...) < tol\` is compared as \`<= tol\`, and \`is True\` as \`== True\`.
- \`assert_tests\`: tests that could not become pairs (random inputs, helper objects, results
  transformed before comparison, values without a tagged-JSON form such as types) are kept as Python
  snippets: the prompt's other definitions, the test module's imports and helpers, any MBPP
  \`test_setup_code\` (after the reference's classes it uses), \`candidate = <function_name>\` for
  HumanEval, the check's preceding statements, then the test.
- Skipped, not kept: asserts of a constant (\`assert True\`), which test nothing.
- \`source\`: \`HumanEval/<n>\` or \`mbpp/<task_id>\`.

## Conversion counts
| file | problems | fully converted (all tests pairs) | partly (some tests kept as asserts) | unconvertible (left out) | test pairs | asserts kept | tests skipped |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows}
${failures.length ? `\nLeft out:\n${failures.join('\n')}\n` : ''}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [datasetsDir, outDir] = process.argv.slice(2);
  const counts = await buildBundledDatasets(datasetsDir ? resolve(datasetsDir) : undefined, outDir ? resolve(outDir) : undefined);
  for (const c of counts) console.log(formatCounts(c));
}
