/**
 * Xero's `where` mini-language (a Dynamic LINQ subset): comparisons (== != > >= < <=), AND/OR/NOT (also && || !),
 * parentheses, literals ("text", numbers, true/false/null, Guid("…"), DateTime(y,m,d[,h,mi,s]), DateTime.Parse("…")),
 * member paths (Contact.ContactID) and string methods (.Contains, .StartsWith, .EndsWith, .ToLower(), .ToUpper()).
 * String equality ignores case, as Xero's SQL Server collation does. Anything else is a QueryParseException, so a
 * typo in a client query fails loudly instead of matching everything.
 */
import { queryParseError } from './errors.ts';

type Token =
  | { kind: 'ident'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'op'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' | '.' };

export type WhereValue = string | number | boolean | null | undefined | { date: number };

type Node =
  | { kind: 'literal'; value: WhereValue }
  | { kind: 'path'; segments: string[] }
  | { kind: 'method'; target: Node; name: string; args: Node[] }
  | { kind: 'compare'; op: string; left: Node; right: Node }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; operand: Node };

export type Predicate = (fields: Record<string, unknown>) => boolean;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw queryParseError('Unterminated string literal');
      i++;
      tokens.push({ kind: 'string', text: value });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '>=', '<=', '&&', '||', '<>'].includes(two)) {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two });
      i += 2;
      continue;
    }
    if (c === '>' || c === '<' || c === '!' || c === '=') {
      tokens.push({ kind: 'op', text: c === '=' ? '==' : c });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '.') {
      // A dot followed by a digit after a number is handled by the number branch.
      tokens.push({ kind: 'punct', text: c });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num && (c !== '-' || !lastIsOperand(tokens))) {
      tokens.push({ kind: 'number', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    throw queryParseError(`Syntax error '${c}' at position ${i}`);
  }
  return tokens;
}

function lastIsOperand(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return !!last && (last.kind === 'ident' || last.kind === 'number' || last.kind === 'string' ||
    (last.kind === 'punct' && last.text === ')'));
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    if (this.pos < this.tokens.length) throw queryParseError(`Syntax error: unexpected '${describe(this.peek())}'`);
    return node;
  }

  private peek(): Token | undefined { return this.tokens[this.pos]; }
  private next(): Token | undefined { return this.tokens[this.pos++]; }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'ident' && t.text.toUpperCase() === word;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.text === op;
  }
  private isPunct(p: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === p;
  }
  private expectPunct(p: string): void {
    if (!this.isPunct(p)) throw queryParseError(`Syntax error: '${p}' expected`);
    this.pos++;
  }

  private or(): Node {
    let left = this.and();
    while (this.isWord('OR') || this.isOp('||')) {
      this.pos++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (this.isWord('AND') || this.isOp('&&')) {
      this.pos++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.isWord('NOT') || this.isOp('!')) {
      this.pos++;
      return { kind: 'not', operand: this.unary() };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.operand();
    const t = this.peek();
    if (t?.kind === 'op' && ['==', '!=', '>', '>=', '<', '<='].includes(t.text)) {
      this.pos++;
      return { kind: 'compare', op: t.text, left, right: this.operand() };
    }
    return left;
  }

  private operand(): Node {
    const t = this.next();
    if (!t) throw queryParseError('Syntax error: expression expected');
    if (t.kind === 'punct' && t.text === '(') {
      const inner = this.or();
      this.expectPunct(')');
      return this.members(inner);
    }
    if (t.kind === 'string') return this.members({ kind: 'literal', value: t.text });
    if (t.kind === 'number') return { kind: 'literal', value: t.value };
    if (t.kind !== 'ident') throw queryParseError(`Syntax error: unexpected '${describe(t)}'`);
    const word = t.text;
    const upper = word.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE' };
    if (upper === 'NULL') return { kind: 'literal', value: null };
    if (upper === 'GUID' && this.isPunct('(')) {
      const [arg] = this.args();
      const value = literalOf(arg);
      if (typeof value !== 'string') throw queryParseError('Guid() expects a string');
      return { kind: 'literal', value: value.toLowerCase() };
    }
    if (upper === 'DATETIME') return { kind: 'literal', value: this.dateTime() };
    const segments = [word];
    while (this.isPunct('.')) {
      const save = this.pos;
      this.pos++;
      const seg = this.next();
      if (seg?.kind !== 'ident') throw queryParseError('Syntax error: identifier expected');
      if (this.isPunct('(')) {
        this.pos = save;
        break;
      }
      segments.push(seg.text);
    }
    return this.members({ kind: 'path', segments });
  }

  /** `.Method(args)` chains after an operand. */
  private members(target: Node): Node {
    let node = target;
    while (this.isPunct('.')) {
      this.pos++;
      const name = this.next();
      if (name?.kind !== 'ident') throw queryParseError('Syntax error: method name expected');
      if (!METHODS.has(name.text.toLowerCase())) throw queryParseError(`No applicable method '${name.text}' exists`);
      node = { kind: 'method', target: node, name: name.text.toLowerCase(), args: this.args() };
    }
    return node;
  }

  private args(): Node[] {
    this.expectPunct('(');
    const args: Node[] = [];
    if (this.isPunct(')')) { this.pos++; return args; }
    for (;;) {
      args.push(this.or());
      if (this.isPunct(',')) { this.pos++; continue; }
      this.expectPunct(')');
      return args;
    }
  }

  private dateTime(): { date: number } {
    if (this.isPunct('.')) {
      this.pos++;
      const name = this.next();
      if (name?.kind !== 'ident' || name.text.toLowerCase() !== 'parse') throw queryParseError('DateTime.Parse expected');
      const [arg] = this.args();
      const value = literalOf(arg);
      const ms = typeof value === 'string' ? Date.parse(/Z|[+-]\d\d:?\d\d$/.test(value) || value.length <= 10 ? value : `${value}Z`) : NaN;
      if (Number.isNaN(ms)) throw queryParseError('DateTime.Parse: invalid date');
      return { date: ms };
    }
    const parts = this.args().map(literalOf);
    if (parts.length < 3 || parts.length > 6 || parts.some((p) => typeof p !== 'number')) {
      throw queryParseError('DateTime() expects year, month, day[, hour, minute, second]');
    }
    const [y, m, d, h = 0, mi = 0, s = 0] = parts as number[];
    const ms = Date.UTC(y as number, (m as number) - 1, d, h, mi, s);
    if (Number.isNaN(ms)) throw queryParseError('DateTime(): invalid date');
    return { date: ms };
  }
}

const METHODS = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper']);

function literalOf(node: Node | undefined): WhereValue {
  if (node?.kind !== 'literal') throw queryParseError('A literal value is expected');
  return node.value;
}

function describe(t: Token | undefined): string {
  if (!t) return 'end of expression';
  return t.kind === 'number' ? String(t.value) : t.text;
}

/** Compiles `where` against the fields a resource exposes; `typeName` is for Xero-like error messages. */
export function compileWhere(where: string, typeName: string): Predicate {
  const ast = new Parser(tokenize(where)).parse();
  return (fields) => truthy(evaluate(ast, fields, typeName));
}

function evaluate(node: Node, fields: Record<string, unknown>, typeName: string): WhereValue {
  switch (node.kind) {
    case 'literal': return node.value;
    case 'path': return resolve(fields, node.segments, typeName);
    case 'not': return !truthy(evaluate(node.operand, fields, typeName));
    case 'and': return truthy(evaluate(node.left, fields, typeName)) && truthy(evaluate(node.right, fields, typeName));
    case 'or': return truthy(evaluate(node.left, fields, typeName)) || truthy(evaluate(node.right, fields, typeName));
    case 'method': {
      const target = evaluate(node.target, fields, typeName);
      const arg = node.args[0] ? evaluate(node.args[0], fields, typeName) : undefined;
      const text = typeof target === 'string' ? target.toLowerCase() : target == null ? '' : String(target).toLowerCase();
      const needle = typeof arg === 'string' ? arg.toLowerCase() : String(arg ?? '').toLowerCase();
      switch (node.name) {
        case 'contains': return text.includes(needle);
        case 'startswith': return text.startsWith(needle);
        case 'endswith': return text.endsWith(needle);
        // Comparisons are already case-insensitive, so case conversion only needs to keep the value a string.
        default: return typeof target === 'string' ? target : target == null ? null : String(target);
      }
    }
    case 'compare': return compare(node.op, evaluate(node.left, fields, typeName), evaluate(node.right, fields, typeName));
  }
}

function resolve(fields: Record<string, unknown>, segments: string[], typeName: string): WhereValue {
  let current: unknown = fields;
  for (const segment of segments) {
    if (current === null || current === undefined) return null;
    if (typeof current !== 'object') throw queryParseError(`No property or field '${segment}' exists in type '${typeName}'`);
    const key = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
    if (key === undefined) throw queryParseError(`No property or field '${segment}' exists in type '${typeName}'`);
    current = (current as Record<string, unknown>)[key];
  }
  if (current === undefined) return null;
  if (typeof current === 'object' && current !== null) return null;
  return current as WhereValue;
}

function truthy(value: WhereValue): boolean {
  return value === true;
}

function compare(op: string, left: WhereValue, right: WhereValue): boolean {
  if (left === null || left === undefined || right === null || right === undefined) {
    const bothNull = (left ?? null) === null && (right ?? null) === null;
    if (op === '==') return bothNull;
    if (op === '!=') return !bothNull;
    return false;
  }
  const [a, b] = coerce(left, right);
  let order: number;
  if (typeof a === 'number' && typeof b === 'number') order = a - b;
  else if (typeof a === 'boolean' && typeof b === 'boolean') order = Number(a) - Number(b);
  else {
    const x = String(a).toLowerCase();
    const y = String(b).toLowerCase();
    order = x < y ? -1 : x > y ? 1 : 0;
  }
  switch (op) {
    case '==': return order === 0;
    case '!=': return order !== 0;
    case '>': return order > 0;
    case '>=': return order >= 0;
    case '<': return order < 0;
    default: return order <= 0;
  }
}

/** Brings both sides to one comparable type: dates to epoch ms, numeric strings to numbers where the other side is one. */
function coerce(left: WhereValue, right: WhereValue): [string | number | boolean, string | number | boolean] {
  const asDate = (v: WhereValue): number | undefined => {
    if (typeof v === 'object' && v !== null) return v.date;
    if (typeof v === 'string') {
      const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
      return Number.isNaN(ms) ? undefined : ms;
    }
    return undefined;
  };
  const isDate = (v: WhereValue) => typeof v === 'object' && v !== null;
  if (isDate(left) || isDate(right)) return [asDate(left) ?? NaN, asDate(right) ?? NaN];
  if (typeof left === 'number' && typeof right === 'string' && right.trim() !== '') return [left, Number(right)];
  if (typeof right === 'number' && typeof left === 'string' && left.trim() !== '') return [Number(left), right];
  return [left as string | number | boolean, right as string | number | boolean];
}
