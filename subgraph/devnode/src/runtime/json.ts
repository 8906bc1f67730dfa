/**
 * A strict JSON parser shaped like graph-node's serde_json (feature `arbitrary_precision`, no
 * `preserve_order`): numbers keep their source text, object keys come out sorted and a repeated key keeps
 * its last value.
 */
import type { Json } from './values.js';

export class JsonSyntaxError extends Error {}

export function parseJson(text: string): Json {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.value(0);
  parser.skipWhitespace();
  if (parser.at < text.length) parser.fail('trailing characters');
  return value;
}

class Parser {
  at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    const before = this.text.slice(0, this.at);
    const line = before.split('\n').length;
    const column = this.at - before.lastIndexOf('\n');
    throw new JsonSyntaxError(`${what} at line ${line} column ${column}`);
  }

  skipWhitespace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.at++;
      else return;
    }
  }

  value(depth: number): Json {
    if (depth > 128) this.fail('recursion limit exceeded');
    const c = this.text[this.at];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return { kind: 'string', value: this.string() };
      case 't':
        return this.literal('true', { kind: 'bool', value: true });
      case 'f':
        return this.literal('false', { kind: 'bool', value: false });
      case 'n':
        return this.literal('null', { kind: 'null' });
      case undefined:
        return this.fail('EOF while parsing a value');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.fail('expected value');
    }
  }

  literal(word: string, value: Json): Json {
    if (this.text.startsWith(word, this.at)) {
      this.at += word.length;
      return value;
    }
    return this.fail('expected ident');
  }

  number(): Json {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.at, this.at + 4096));
    if (!match || match[0] === '-') this.fail('invalid number');
    this.at += match[0].length;
    return { kind: 'number', text: match[0] };
  }

  string(): string {
    this.at++; // opening quote
    let out = '';
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (Number.isNaN(c)) this.fail('EOF while parsing a string');
      if (c === 0x22) {
        this.at++;
        return out;
      }
      if (c < 0x20) this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c !== 0x5c) {
        out += this.text[this.at];
        this.at++;
        continue;
      }
      const escape = this.text[this.at + 1];
      this.at += 2;
      switch (escape) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const unit = this.hex4();
          if (unit >= 0xd800 && unit < 0xdc00) {
            if (this.text[this.at] !== '\\' || this.text[this.at + 1] !== 'u') this.fail('unexpected end of hex escape');
            this.at += 2;
            const low = this.hex4();
            if (low < 0xdc00 || low > 0xdfff) this.fail('lone leading surrogate in hex escape');
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            this.fail('lone leading surrogate in hex escape');
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.fail('invalid escape');
      }
    }
  }

  hex4(): number {
    const digits = this.text.slice(this.at, this.at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('invalid escape');
    this.at += 4;
    return parseInt(digits, 16);
  }

  array(depth: number): Json {
    this.at++;
    const items: Json[] = [];
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      return { kind: 'array', items };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const c = this.text[this.at];
      this.at++;
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') this.fail(c === undefined ? 'EOF while parsing a list' : 'expected `,` or `]`');
    }
  }

  object(depth: number): Json {
    this.at++;
    const map = new Map<string, Json>();
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      return { kind: 'object', entries: [] };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') this.fail(this.at >= this.text.length ? 'EOF while parsing an object' : 'key must be a string');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.at] !== ':') this.fail('expected `:`');
      this.at++;
      this.skipWhitespace();
      map.set(key, this.value(depth + 1));
      this.skipWhitespace();
      const c = this.text[this.at];
      this.at++;
      if (c === '}') break;
      if (c !== ',') this.fail(c === undefined ? 'EOF while parsing an object' : 'expected `,` or `}`');
    }
    // BTreeMap<String, _> orders keys by their UTF-8 bytes
    const entries = [...map.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return { kind: 'object', entries };
  }
}
