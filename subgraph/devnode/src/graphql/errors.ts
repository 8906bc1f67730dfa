/** A query error carrying graph-node's message (graph-node `graph/src/data/query/error.rs`). */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

export const rangeError = (arg: 'first' | 'skip', max: number, value: number) =>
  new QueryError(`The \`${arg}\` argument must be between 0 and ${max}, but is ${value}`);

export const valueParseError = (what: string, detail: string) =>
  new QueryError(`Failed to decode \`${what}\` value: \`${detail}\``);

/** graph-node's "Filter must by an object" (sic). */
export const invalidFilterError = () => new QueryError('Filter must by an object');
