export type Route = { view: 'experiments' } | { view: 'new'; cloneOf: number | null } | { view: 'run'; id: number };

/** Routes live in the URL hash, so a reload (or a link) opens the same view. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const run = /^experiments\/(\d+)$/.exec(path);
  if (run) return { view: 'run', id: Number(run[1]) };
  const clone = /^new(?:\?clone=(\d+))?$/.exec(path);
  if (clone) return { view: 'new', cloneOf: clone[1] ? Number(clone[1]) : null };
  return { view: 'experiments' };
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
