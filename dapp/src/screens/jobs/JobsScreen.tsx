import { useAccount } from 'wagmi';
import { ConnectPrompt } from '../../components/ConnectPrompt';
import { JobsTable } from '../../components/JobsTable';
import { LoadState } from '../../components/States';
import { useBuyerJobs } from '../../subgraph/hooks';
import { Refunds } from './Refunds';

export default function JobsScreen() {
  const { address } = useAccount();
  const jobs = useBuyerJobs(address);
  return (
    <section>
      <div className="spread">
        <h1>My jobs</h1>
        <a href="#/submit">Submit a job</a>
      </div>
      <div className="panel">
        {!address ? (
          <ConnectPrompt what="see your jobs" />
        ) : (
          <LoadState value={jobs} isEmpty={(d) => d.jobs.length === 0} empty={<>You have not submitted a job yet. <a href="#/submit">Submit one</a>.</>}>
            {(d) => <JobsTable jobs={d.jobs} label="My jobs" />}
          </LoadState>
        )}
      </div>
      {address && <Refunds />}
    </section>
  );
}
