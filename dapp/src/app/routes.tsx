import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { matchPath, type RouteMatch } from './router';

export interface ScreenProps {
  match: RouteMatch;
}
type Screen = LazyExoticComponent<ComponentType<ScreenProps>>;

// One lazily loaded chunk per screen.
const routes: { pattern: string; Screen: Screen }[] = [
  { pattern: '/', Screen: lazy(() => import('../screens/home/HomeScreen')) },
  { pattern: '/submit', Screen: lazy(() => import('../screens/submit/SubmitScreen')) },
  { pattern: '/jobs', Screen: lazy(() => import('../screens/jobs/JobsScreen')) },
  { pattern: '/jobs/:id', Screen: lazy(() => import('../screens/job/JobScreen')) },
  { pattern: '/provider', Screen: lazy(() => import('../screens/provider/ProviderScreen')) },
  { pattern: '/teams', Screen: lazy(() => import('../screens/teams/TeamsScreen')) },
  { pattern: '/teams/:id', Screen: lazy(() => import('../screens/team/TeamScreen')) },
  { pattern: '/activity', Screen: lazy(() => import('../screens/activity/ActivityScreen')) },
];
const NotFound: Screen = lazy(() => import('../screens/notfound/NotFoundScreen'));

export function resolveRoute(path: string): { Screen: Screen; match: RouteMatch; key: string } {
  for (const route of routes) {
    const match = matchPath(route.pattern, path);
    if (match) return { Screen: route.Screen, match, key: route.pattern };
  }
  return { Screen: NotFound, match: { path, params: {}, query: new URLSearchParams() }, key: 'not-found' };
}
