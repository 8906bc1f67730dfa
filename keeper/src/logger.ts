// The keeper's one logger: one JSON object per line on stderr. Fields whose name looks secret are redacted,
// so a careless `log.info('x', { privateKey })` still cannot leak a key.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_NAME = /(private.?key|secret|token|password|api.?key|authorization|mnemonic)/i;

export function createLogger(level: LogLevel = 'info', base: LogFields = {}, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (ORDER[lvl] < ORDER[level]) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...redactFields({ ...base, ...fields }) }, jsonSafe));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  };
}

export const silentLogger: Logger = createLogger('silent');

export function redactFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_NAME.test(k)) out[k] = '[redacted]';
    else if (v instanceof Error) out[k] = errorSummary(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redactFields(v as LogFields);
    else out[k] = v;
  }
  return out;
}

/** A short, secret-free description of an error (viem errors carry request bodies in their full text). */
export function errorSummary(err: unknown): string {
  if (err instanceof Error) {
    const short = (err as Error & { shortMessage?: string }).shortMessage;
    return `${err.name}: ${(short ?? err.message).split('\n')[0]}`.slice(0, 500);
  }
  return String(err).slice(0, 500);
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
