import type { ScreenProps } from '../../app/router';

export default function NotFoundScreen({ match }: ScreenProps) {
  return (
    <section>
      <h1>Page not found</h1>
      <p className="muted">
        Nothing lives at <code>{match.path}</code>. <a href="#/">Back to the overview</a>.
      </p>
    </section>
  );
}
