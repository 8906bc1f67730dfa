import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { matchPath, type RouteMatch, type ScreenProps } from './router';
type Loader = () => Promise<{ default: ComponentType<ScreenProps> }>;
type Screen = LazyExoticComponent<ComponentType<ScreenProps>>;

// One lazily loaded chunk per screen.
const table: { pattern: string; load: Loader }[] = [
  { pattern: '/', load: () => import('../screens/home/HomeScreen') },
  { pattern: '/submit', load: () => import('../screens/submit/SubmitScreen') },
  { pattern: '/jobs', load: () => import('../screens/jobs/JobsScreen') },
  { pattern: '/jobs/:id', load: () => import('../screens/job/JobScreen') },
  { pattern: '/provider', load: () => import('../screens/provider/ProviderScreen') },
  { pattern: '/teams', load: () => import('../screens/teams/TeamsScreen') },
  { pattern: '/teams/:id', load: () => import('../screens/team/TeamScreen') },
  { pattern: '/activity', load: () => import('../screens/activity/ActivityScreen') },
  { pattern: '/arbiter', load: () => import('../screens/arbiter/ArbiterScreen') },
];
const notFound: Loader = () => import('../screens/notfound/NotFoundScreen');

const screens = new Map<Loader, Screen>();
function screenOf(load: Loader): Screen {
  let screen = screens.get(load);
  if (!screen) {
    screen = lazy(load);
    screens.set(load, screen);
  }
  return screen;
}

function find(path: string): { load: Loader; match: RouteMatch; key: string } {
  for (const route of table) {
    const match = matchPath(route.pattern, path);
    if (match) return { load: route.load, match, key: route.pattern };
  }
  return { load: notFound, match: { path, params: {}, query: new URLSearchParams() }, key: 'not-found' };
}

export function resolveRoute(path: string): { Screen: Screen; match: RouteMatch; key: string } {
  const { load, match, key } = find(path);
  return { Screen: screenOf(load), match, key };
}

/** Starts loading the screen of `path` (at boot, in parallel with the config fetch). */
export function preloadRoute(path: string): void {
  void find(path).load().catch(() => undefined);
}
