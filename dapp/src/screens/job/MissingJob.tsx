import { useProtocol } from '../../subgraph/hooks';

/** A job id the subgraph does not know: either it does not exist (beyond the job count) or it is not indexed yet. */
export function MissingJob({ id }: { id: string }) {
  const protocol = useProtocol();
  const total = protocol.data?.protocol?.jobsTotal;
  if (total !== undefined && BigInt(id) > total) {
    return (
      <div className="notice error" role="alert" data-testid="job-missing">
        Job #{id} does not exist: {total === 0n ? 'no job has been submitted yet' : `there are ${total.toLocaleString('en-US')} jobs, #1 to #${total.toLocaleString('en-US')}`}.{' '}
        <a href="#/jobs">My jobs</a>
      </div>
    );
  }
  return <div className="empty">The subgraph has not indexed job #{id} yet. This page updates by itself.</div>;
}
