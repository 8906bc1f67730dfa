import type { ReactNode } from 'react';

export function Loading({ label = 'Loading', lines = 3 }: { label?: string; lines?: number }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">{label}…</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" style={{ width: `${90 - i * 15}%` }} />
      ))}
    </div>
  );
}

export function ErrorNotice({ title = 'Something went wrong', message, onRetry }: { title?: string; message: string; onRetry?: () => void }) {
  return (
    <div className="notice error" role="alert">
      <strong>{title}.</strong> {message}
      {onRetry && (
        <>
          {' '}
          <button type="button" onClick={onRetry}>Retry</button>
        </>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** Renders loading / error / empty / content for a `Loadable` from the data hooks. */
export function LoadState<T>({
  value,
  isEmpty,
  empty,
  loadingLabel,
  children,
}: {
  value: { state: 'loading' | 'error' | 'ready'; data?: T; error?: string; refetch: () => void };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}) {
  if (value.state === 'loading') return <Loading label={loadingLabel} />;
  if (value.state === 'error' && value.data === undefined) return <ErrorNotice message={value.error ?? 'Unknown error'} onRetry={value.refetch} />;
  const data = value.data as T;
  return (
    <>
      {value.state === 'error' && <ErrorNotice title="Showing the last data received" message={value.error ?? ''} onRetry={value.refetch} />}
      {isEmpty?.(data) ? <Empty>{empty ?? 'Nothing here yet.'}</Empty> : children(data)}
    </>
  );
}
