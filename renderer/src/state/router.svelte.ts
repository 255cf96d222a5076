export type Route =
  | { view: 'experiments' }
  | { view: 'new'; cloneOf: number | null }
  | { view: 'run'; id: number }
  | { view: 'compare'; ids: number[] }
  | { view: 'replay'; experimentId: number; episodeId: number }
  | { view: 'episodes'; experimentId: number; query: URLSearchParams }
  | { view: 'diff'; experimentId: number; problem: string; against: number | null }
  | { view: 'problems'; setId: number | null }
  | { view: 'sweeps' }
  | { view: 'sweep'; id: number }
  | { view: 'solve'; id: number | null }
  | { view: 'settings' };

/** Routes live in the URL hash, so a reload (or a link) opens the same view. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const run = /^experiments\/(\d+)$/.exec(path);
  if (run) return { view: 'run', id: Number(run[1]) };
  const clone = /^new(?:\?clone=(\d+))?$/.exec(path);
  if (clone) return { view: 'new', cloneOf: clone[1] ? Number(clone[1]) : null };
  const compare = /^compare(?:\?ids=([\d,]*))?$/.exec(path);
  if (compare) return { view: 'compare', ids: (compare[1] ?? '').split(',').filter(Boolean).map(Number) };
  const replay = /^replay\/(\d+)\/(\d+)$/.exec(path);
  if (replay) return { view: 'replay', experimentId: Number(replay[1]), episodeId: Number(replay[2]) };
  const episodes = /^episodes\/(\d+)(?:\?(.*))?$/.exec(path);
  if (episodes) return { view: 'episodes', experimentId: Number(episodes[1]), query: new URLSearchParams(episodes[2] ?? '') };
  const diff = /^diff\/(\d+)\/([^?]+)(?:\?against=(\d+))?$/.exec(path);
  if (diff) return { view: 'diff', experimentId: Number(diff[1]), problem: decodeURIComponent(diff[2]!), against: diff[3] ? Number(diff[3]) : null };
  const problems = /^problems(?:\/(\d+))?$/.exec(path);
  if (problems) return { view: 'problems', setId: problems[1] ? Number(problems[1]) : null };
  const sweep = /^sweeps\/(\d+)$/.exec(path);
  if (sweep) return { view: 'sweep', id: Number(sweep[1]) };
  if (path === 'sweeps') return { view: 'sweeps' };
  const solve = /^solve(?:\/(\d+))?$/.exec(path);
  if (solve) return { view: 'solve', id: solve[1] ? Number(solve[1]) : null };
  if (path === 'settings') return { view: 'settings' };
  return { view: 'experiments' };
}

/** The stable link of a stored episode's replay. */
export function replayLink(experimentId: number, episodeId: number): string {
  return `#/replay/${experimentId}/${episodeId}`;
}

/** The code diff of a problem's greedy programs across a run's evaluations (and another run's). */
export function diffLink(experimentId: number, problem: string, against?: number): string {
  return `#/diff/${experimentId}/${encodeURIComponent(problem)}${against === undefined ? '' : `?against=${against}`}`;
}

/** The episode browser of a run, with filters as query parameters (problem, success, ...). */
export function episodesLink(experimentId: number, filters: Record<string, string> = {}): string {
  const query = new URLSearchParams(filters).toString();
  return `#/episodes/${experimentId}${query ? `?${query}` : ''}`;
}

class Router {
  route = $state<Route>(parseRoute(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => (this.route = parseRoute(window.location.hash)));
  }

  go(hash: string): void {
    window.location.hash = hash;
  }
}

export const router = new Router();
