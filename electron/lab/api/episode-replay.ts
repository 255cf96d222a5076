import type { EpisodeReplay, ReplayFrame } from '#shared/api/episodes-api.ts';
import { changedSpan } from '#shared/compare/code-growth.ts';
import { TOKEN_ID, tokenDisplay } from '#shared/env/token-vocabulary.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { displaySource, programSource, sourceNames } from '#lab/env/program-source.ts';
import type { StoredEpisode, StoredStep } from '#lab/store/episodes.ts';

/** Parameter names from a stored program's def line, for episodes whose problem is gone. */
function defParameters(code: string): { functionName: string; parameters: string[] } | undefined {
  const match = /^def\s+([A-Za-z_]\w*)\s*\(([^)]*)\)/m.exec(code);
  if (!match) return undefined;
  return { functionName: match[1]!, parameters: match[2]!.split(',').map((p) => p.trim()).filter(Boolean) };
}

/**
 * The frames of a replay: after each step, the program as the source printer writes it (the same
 * printer the environment used, so the last frame is the stored program), the span the step wrote,
 * the token and what the grammar forced after it, the Q-values and the return so far.
 */
export function replayFrames(episode: StoredEpisode, steps: readonly StoredStep[], problem: Problem | undefined, experimentName: string, agent = 'dqn'): EpisodeReplay {
  const fromDef = defParameters(episode.code);
  const signature = {
    function_name: problem?.function_name ?? fromDef?.functionName ?? episode.problem_name,
    test_cases: problem?.test_cases ?? [],
    parameters: problem?.parameters ?? fromDef?.parameters ?? [],
    ...(problem?.starter_code ? { starter_code: problem.starter_code } : {}),
    ...(problem?.reference_solution ? { reference_solution: problem.reference_solution } : {}),
  };
  const names = sourceNames(signature);
  const startCode = displaySource([], signature, names);
  const written: number[] = [];
  let previous = startCode;
  let total = 0;
  const frames = steps.map((step, i): ReplayFrame => {
    const tokens = step.token.split(/\s+/).filter(Boolean);
    for (const name of tokens) {
      const id = TOKEN_ID[name];
      if (id !== undefined) written.push(id);
    }
    const last = i === steps.length - 1;
    const code = last && episode.code ? episode.code : programSource(written, signature, names);
    total += step.reward;
    const display = (name: string) => (TOKEN_ID[name] === undefined ? name : tokenDisplay(TOKEN_ID[name]!, names.parameters));
    const frame: ReplayFrame = {
      t: step.t,
      action: step.action,
      token: tokenDisplay(step.action, names.parameters),
      forced: tokens.slice(1).map(display),
      valid_actions: step.valid_actions,
      top_q: step.top_q.map(([action, q]) => ({ action, token: tokenDisplay(action, names.parameters), q })),
      explored: step.explored,
      reward: step.reward,
      reward_parts: step.reward_parts,
      return_so_far: total,
      code,
      span: changedSpan(previous, code),
    };
    previous = code;
    return frame;
  });
  return {
    episode: { ...episode, steps: steps.length },
    experiment_name: experimentName,
    step_values: agent === 'pqt' || agent === 'rspg' ? 'probability' : 'q',
    code: episode.code,
    verdicts: episode.verdicts,
    function_name: names.functionName,
    parameters: [...names.parameters],
    start_code: startCode,
    frames,
  };
}
