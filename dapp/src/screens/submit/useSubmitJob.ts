// Submits a validated job: approve + submitJob, or one EIP-2612 signature + submitJobWithPermit. Untracked jobs
// then hand their document to the keeper (only its hash is on-chain).
import { useState } from 'react';
import { parseEventLogs, type TransactionReceipt } from 'viem';
import { useAccount } from 'wagmi';
import { jobMarketAbi } from '../../contracts/abis';
import { useSignPermit, useUsdcAccount } from '../../contracts/usdc';
import { useJobMarketWrite, useUsdcWrite } from '../../contracts/writes';
import { KeeperError } from '../../keeper/client';
import { useKeeper } from '../../keeper/context';
import { useRuntimeConfig } from '../../config/context';
import { saveJobDocument } from '../../lib/jobDocuments';
import { requestConnect } from '../../wallet/connectStore';
import type { ValidJob } from './jobForm';

export type SubmitMethod = 'permit' | 'approve';
export type SubmitStep = 'idle' | 'signing-permit' | 'approving' | 'submitting' | 'sending-spec' | 'done';

export function jobIdFromReceipt(receipt: TransactionReceipt): string | null {
  const [submitted] = parseEventLogs({ abi: jobMarketAbi, eventName: 'JobSubmitted', logs: receipt.logs });
  return submitted ? submitted.args.jobId.toString() : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function useSubmitJob() {
  const { address } = useAccount();
  const market = useJobMarketWrite();
  const usdc = useUsdcWrite();
  const usdcAccount = useUsdcAccount();
  const signPermit = useSignPermit();
  const keeper = useKeeper();
  const { chainId } = useRuntimeConfig();
  const [step, setStep] = useState<SubmitStep>('idle');
  const [specError, setSpecError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);

  async function handOffSpec(id: string, document: Record<string, unknown>) {
    setStep('sending-spec');
    for (let attempt = 0; attempt < 15; attempt++) {
      try {
        await keeper.submitSpec(id, document);
        return;
      } catch (error) {
        // The keeper may not have seen the job yet: retry for a while.
        if (error instanceof KeeperError && (error.status === 404 || error.status === 0 || error.status === 429)) {
          await sleep(1000);
          continue;
        }
        setSpecError((error as Error).message);
        return;
      }
    }
    setSpecError('The keeper did not see the job in time; it cannot route an untracked job without its document.');
  }

  async function submit(job: ValidJob, method: SubmitMethod): Promise<string | null> {
    if (!address) {
      requestConnect();
      return null;
    }
    if (!market.address) return null;
    setSpecError(null);
    market.reset();
    usdc.reset();
    const spec = job.spec;
    let receipt: TransactionReceipt | null;
    if (method === 'permit') {
      setStep('signing-permit');
      let permit;
      try {
        permit = await signPermit(address, market.address, job.budget);
      } catch (error) {
        market.fail(error);
        setStep('idle');
        return null;
      }
      setStep('submitting');
      receipt = await market.write('submitJobWithPermit', [spec, job.budget, permit.deadline, permit.v, permit.r, permit.s]);
    } else {
      if ((usdcAccount.allowance ?? 0n) < job.budget) {
        setStep('approving');
        const approved = await usdc.write('approve', [market.address, job.budget]);
        if (!approved) {
          setStep('idle');
          return null;
        }
      }
      setStep('submitting');
      receipt = await market.write('submitJob', [spec, job.budget]);
    }
    if (!receipt) {
      setStep('idle');
      return null;
    }
    const id = jobIdFromReceipt(receipt);
    setJobId(id);
    // The buyer's own copy of an untracked document: the job page shows the workload from it.
    if (id && !job.spec.tracked) saveJobDocument({ chainId, jobMarket: market.address, jobId: id }, job.document);
    if (id && !job.spec.tracked) await handOffSpec(id, job.document);
    setStep('done');
    void usdcAccount.refetch();
    return id;
  }

  return { submit, step, jobId, specError, marketTx: market, usdcTx: usdc, usdcAccount };
}
