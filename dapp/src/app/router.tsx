// A small hash router: the static build works from any host or sub-path without rewrite rules.
import { useEffect, useState } from 'react';

export interface RouteMatch {
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** What every screen gets from the route table. */
export interface ScreenProps {
  match: RouteMatch;
}

function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

/** Matches `/jobs/:id` style patterns; returns null when the path does not match. */
export function matchPath(pattern: string, fullPath: string): RouteMatch | null {
  const [path = '/', search = ''] = fullPath.split('?');
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i]!;
    const actual = decodeURIComponent(pathParts[i]!);
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return null;
  }
  return { path, params, query: new URLSearchParams(search) };
}

export function navigate(path: string): void {
  window.location.hash = path;
}

