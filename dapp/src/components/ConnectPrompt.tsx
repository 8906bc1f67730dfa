import { requestConnect } from '../wallet/connectStore';

export function ConnectPrompt({ what }: { what: string }) {
  return (
    <div className="empty">
      <p>Connect your wallet to {what}.</p>
      <button type="button" className="primary" onClick={requestConnect}>Connect wallet</button>
    </div>
  );
}
