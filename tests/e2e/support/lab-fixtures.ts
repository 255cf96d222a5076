import type { LabServer } from '../../../electron/server/lab-server.ts';

/** The problems the scripted trainer "solves", as a set, so replays can run their tests again. */
export const SCRIPTED_PROBLEMS = {
  name: 'scripted',
  description: 'The scripted trainer writes `return a + b` for each of these.',
  problems: [
    { function_name: 'add_numbers', docstring: 'Add two numbers.', parameters: ['a', 'b'], test_cases: [[[1, 2], 3], [[0, 0], 0], [[-1, 1], 0]], reference_solution: 'def add_numbers(a, b):\n    return a + b\n' },
    { function_name: 'is_even', docstring: 'Is a + b even?', parameters: ['a', 'b'], test_cases: [[[1, 1], true], [[1, 2], false], [[2, 2], true]] },
    { function_name: 'max_of_two', docstring: 'The larger of two numbers.', parameters: ['a', 'b'], test_cases: [[[1, 2], 2], [[5, 3], 5], [[0, 0], 0]] },
  ],
};

/** Calls the lab's API in-process and returns the result, failing loudly on a refusal. */
export async function apiCall<T>(server: LabServer, method: string, input: unknown): Promise<T> {
  const answer = await server.api.call(method, input);
  if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
  return answer.result as T;
}

/** Creates and starts a run of the scripted trainer; resolves with its id once it is done. */
export async function finishedRun(server: LabServer, setId: number, name: string, learningRate: number, seed: number): Promise<number> {
  const config = { agent: { learning_rate: learningRate }, training: { num_episodes: 30 } };
  const { id } = await apiCall<{ id: number }>(server, 'experiments.create', { name, problem_set_id: setId, config, seed });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status } = await apiCall<{ status: string }>(server, 'experiments.get', { id });
    if (status === 'done') return id;
    if (Date.now() > deadline) throw new Error(`run ${name} did not finish (status ${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
