/** A misuse of the store (write outside a block, unknown type, immutable entity changed) or an unreadable store directory. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
