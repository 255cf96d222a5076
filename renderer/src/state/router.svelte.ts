export type Route =
  | { view: 'experiments' }
  | { view: 'new'; cloneOf: number | null }
  | { view: 'run'; id: number }
  | { view: 'compare'; ids: number[] }
  | { view: 'replay'; experimentId: number; episodeId: number }
  | { view: 'problems'; setId: number | null }
  | { view: 'sweeps' }
  | { view: 'sweep'; id: number }
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
  const problems = /^problems(?:\/(\d+))?$/.exec(path);
  if (problems) return { view: 'problems', setId: problems[1] ? Number(problems[1]) : null };
  const sweep = /^sweeps\/(\d+)$/.exec(path);
  if (sweep) return { view: 'sweep', id: Number(sweep[1]) };
  if (path === 'sweeps') return { view: 'sweeps' };
  if (path === 'settings') return { view: 'settings' };
  return { view: 'experiments' };
}

/** The stable link of a stored episode's replay. */
export function replayLink(experimentId: number, episodeId: number): string {
  return `#/replay/${experimentId}/${episodeId}`;
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
