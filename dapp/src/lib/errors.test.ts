import { describe, expect, it } from 'vitest';
import { BaseError, ContractFunctionExecutionError, ContractFunctionRevertedError, UserRejectedRequestError, encodeErrorResult } from 'viem';
import { jobMarketAbi } from '../contracts/abis';
import { NECTO_ERROR_ABI } from '../contracts/errorAbi';
import { decodeError, decodeRevertData } from './errors';

function revertedCall(data: `0x${string}`) {
  // What viem throws from simulateContract on a revert with custom-error data, decoded against JobMarket's ABI.
  const cause = new ContractFunctionRevertedError({ abi: jobMarketAbi, data, functionName: 'submitJob' });
  return new ContractFunctionExecutionError(cause, { abi: jobMarketAbi, functionName: 'submitJob', args: [] });
}

describe('error decoding', () => {
  it('decodes a JobMarket custom error with its arguments', () => {
    const data = encodeErrorResult({ abi: NECTO_ERROR_ABI, errorName: 'JobMarket_InsufficientBudget', args: [5_000_000n, 12_000_000n] });
    const decoded = decodeError(revertedCall(data), NECTO_ERROR_ABI);
    expect(decoded.errorName).toBe('JobMarket_InsufficientBudget');
    expect(decoded.message).toBe('Budget 5.00 USDC does not cover the required 12.00 USDC.');
  });

  it('decodes an error bubbled up from another contract (team cap) that the JobMarket ABI does not know', () => {
    const data = encodeErrorResult({ abi: NECTO_ERROR_ABI, errorName: 'TeamRegistry_CapExceeded', args: [3n, 900_000_000n, 200_000_000n, 1_000_000_000n] });
    const decoded = decodeError(revertedCall(data), NECTO_ERROR_ABI);
    expect(decoded.errorName).toBe('TeamRegistry_CapExceeded');
    expect(decoded.message).toContain('Team #3 spending cap exceeded');
    expect(decoded.message).toContain('1,000.00 USDC');
  });

  it('names the job status in InvalidStatus', () => {
    const data = encodeErrorResult({ abi: NECTO_ERROR_ABI, errorName: 'JobMarket_InvalidStatus', args: [7n, 6] });
    expect(decodeRevertData(data, NECTO_ERROR_ABI)?.message).toBe('Job #7 is Settled; this action is not allowed in that state.');
  });

  it('decodes raw revert data found deep in an RPC error', () => {
    const data = encodeErrorResult({ abi: NECTO_ERROR_ABI, errorName: 'ERC2612InvalidSigner', args: ['0x0000000000000000000000000000000000000001', '0x0000000000000000000000000000000000000002'] });
    const rpcError = { message: 'execution reverted', cause: { code: 3, data } };
    expect(decodeError(rpcError, NECTO_ERROR_ABI).errorName).toBe('ERC2612InvalidSigner');
  });

  it('recognises a rejection in the wallet', () => {
    const error = new BaseError('User rejected the request.', { cause: new UserRejectedRequestError(new Error('rejected')) });
    expect(decodeError(error)).toMatchObject({ rejected: true, message: 'You rejected the request in your wallet.' });
    expect(decodeError({ code: 4001, message: 'denied' })).toMatchObject({ rejected: true });
  });

  it('falls back to a readable message', () => {
    expect(decodeError(new Error('boom')).message).toBe('boom');
    expect(decodeError('weird').message).toBe('weird');
  });
});
