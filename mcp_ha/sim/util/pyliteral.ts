// HA parses a rendered template's text with Python's literal_eval (for WS render_template),
// so "[1, 'a']" becomes a list and "True" a boolean. This is a small literal_eval for that.

export type Parsed = { ok: true; value: unknown; isStr: boolean; isNumber: boolean } | { ok: false };

class Parser {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  fail(): never {
    throw new SyntaxError('bad literal');
  }
  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.fail();
    if (c === '[' || c === '(') return this.seq(c === '[' ? ']' : ')');
    if (c === '{') return this.dict();
    if (c === "'" || c === '"') return this.str();
    for (const [word, val] of [['True', true], ['False', false], ['None', null]] as const) {
      if (this.s.startsWith(word, this.i) && !/[\w]/.test(this.s[this.i + word.length] ?? '')) {
        this.i += word.length;
        return val;
      }
    }
    const m = /^[+-]?(?:\d[\d_]*\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(this.s.slice(this.i));
    if (!m) this.fail();
    this.i += m[0].length;
    return Number(m[0].replace(/_/g, ''));
  }
  seq(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    while (this.s[this.i] !== close) {
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        this.ws();
      } else if (this.s[this.i] !== close) this.fail();
    }
    this.i++;
    return out;
  }
  dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.ws();
    while (this.s[this.i] !== '}') {
      const k = this.value();
      this.ws();
      if (this.s[this.i] !== ':') this.fail();
      this.i++;
      out[String(k)] = this.value();
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        this.ws();
      } else if (this.s[this.i] !== '}') this.fail();
    }
    this.i++;
    return out;
  }
  str(): string {
    const q = this.s[this.i++];
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== q) {
      const c = this.s[this.i++]!;
      if (c === '\\') {
        const e = this.s[this.i++];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
      } else out += c;
    }
    if (this.s[this.i] !== q) this.fail();
    this.i++;
    return out;
  }
}

const IS_NUMERIC = /^[+-]?(?!0\d)\d*(?:\.\d*)?$/;

/** HA's Template._parse_result: the parsed value when it is not a plain string, else the text. */
export function parseTemplateResult(text: string): unknown {
  try {
    const p = new Parser(text);
    const v = p.value();
    p.ws();
    if (p.i !== text.length) return text;
    if (typeof v === 'string') return text;
    if (typeof v === 'number') return IS_NUMERIC.test(text) ? v : text;
    return v;
  } catch {
    return text;
  }
}
