// Compiles a template with nunjucks' own parser and code generator, adjusted where Jinja (as
// Home Assistant runs it) differs: Python arithmetic and equality, True/False/None, slices,
// `{% set ns.attr = … %}`, `{% for x in xs if cond %}`, and a budget tick in every loop.
import nunjucks from 'nunjucks';
import { nj, type NjCompiler, type NjFrame, type NjNode, type NjParser } from './nunjucks-internals.js';
import { TemplateSyntaxError } from './errors.js';
import { templateRuntime } from './runtime.js';
import { balanceError } from './balance.js';

type RootFn = (env: unknown, ctx: unknown, frame: unknown, runtime: unknown, cb: unknown) => void;

type NodeClass = (new (...a: unknown[]) => NjNode) & { extend(name: string, def: object): new (...a: unknown[]) => NjNode };
const nodes = nj.nodes as unknown as Record<string, NodeClass>;
const Slice = nodes.Node!.extend('Slice', { fields: ['start', 'stop', 'step'] });
const Truthy = nodes.Node!.extend('Truthy', { fields: ['target'] });
/** HA enables Jinja's loopcontrols and do extensions: `{% break %}`, `{% continue %}`, `{% do x %}`. */
const LoopControl = nodes.Node!.extend('LoopControl', { fields: ['keyword'] });
const Do = nodes.Node!.extend('Do', { fields: ['expr'] });
const CONSTANTS: Record<string, string> = { True: 'true', False: 'false', None: 'null', true: 'true', false: 'false', none: 'null' };
const BINOPS: Record<string, string> = {
  Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div', FloorDiv: 'floordiv', Mod: 'mod', Pow: 'pow',
};

function makeParser(src: string): NjParser {
  const p = new nj.parser.Parser(nj.lexer.lex(src, {}));
  p.extensions = [];
  const proto = Object.getPrototypeOf(p) as Record<string, (...a: unknown[]) => unknown>;
  const self = p as unknown as Record<string, (...a: unknown[]) => unknown> & {
    tokens: { index: number; lineno: number; colno: number };
    peeked: unknown;
  };
  // Jinja slices (`xs[:3]`, `s[1:-1]`): nunjucks only parses them with its global Jinja-compat
  // patch, so the same parsing is done here on this parser instance alone.
  self.parseAggregate = function parseAggregate() {
    const saved = { ...self.tokens, index: self.tokens.index - 1, colno: self.tokens.colno - 1 };
    try {
      return proto.parseAggregate!.call(self);
    } catch (e) {
      const afterError = { ...self.tokens };
      Object.assign(self.tokens, saved);
      self.peeked = false;
      const tok = self.peekToken!() as { type: string; lineno: number; colno: number };
      if (tok.type !== 'left-bracket') {
        Object.assign(self.tokens, afterError);
        throw e;
      }
      self.nextToken!();
      const fields: (NjNode | null)[] = [null, null, null];
      let isSlice = false;
      for (let i = 0; i <= 3; i++) {
        if (self.skip!('right-bracket')) break;
        if (i === 3) self.fail!('unexpected token in slice', tok.lineno, tok.colno);
        if (self.skip!('colon')) {
          isSlice = true;
          continue;
        }
        fields[i] = self.parseExpression!() as NjNode;
        isSlice = (self.skip!('colon') as boolean) || isSlice;
      }
      if (!isSlice) {
        Object.assign(self.tokens, afterError);
        throw e;
      }
      const lit = (v: unknown) => new nodes.Literal!(tok.lineno, tok.colno, v);
      const slice = new Slice(tok.lineno, tok.colno, fields[0] ?? lit(null), fields[1] ?? lit(null), fields[2] ?? lit(null));
      return new nodes.Array!(tok.lineno, tok.colno, [slice]);
    }
  };
  // `2.0` is a float in Python: mark float literals so they print and divide as floats.
  self.parsePrimary = function parsePrimary(...args: unknown[]) {
    const tok = self.peekToken!() as { type: string };
    const node = proto.parsePrimary!.apply(self, args) as NjNode;
    if (tok.type === 'float') {
      let lit: NjNode | undefined = node;
      while (lit && lit.typename !== 'Literal') lit = (lit.target ?? lit.name) as NjNode | undefined;
      if (lit) lit.isFloat = true;
    }
    return node;
  };
  self.parseStatement = function parseStatement() {
    const tok = self.peekToken!() as { type: string; value: string; lineno: number; colno: number };
    const breaking = (self.breakOnBlocks as unknown as string[] | null)?.includes(tok.value);
    if (tok.type === 'symbol' && !breaking && ['break', 'continue', 'do'].includes(tok.value)) {
      self.nextToken!();
      const node = tok.value === 'do' ? new Do(tok.lineno, tok.colno, self.parseExpression!()) : new LoopControl(tok.lineno, tok.colno, tok.value);
      self.advanceAfterBlockEnd!(tok.value);
      return node;
    }
    return proto.parseStatement!.call(self);
  };
  return p;
}

type Compiler = NjCompiler & Record<string, (node: NjNode, frame: NjFrame, ...rest: unknown[]) => void>;

function makeCompiler(): Compiler {
  const c = new nj.compiler.Compiler('template', false) as Compiler;
  const proto = Object.getPrototypeOf(c) as Record<string, (...a: unknown[]) => unknown>;
  const call = (fn: string, args: NjNode[], frame: NjFrame) => {
    c._emit(`runtime.${fn}(`);
    args.forEach((a, i) => {
      if (i) c._emit(', ');
      c.compile(a, frame);
    });
    // Operand names let an undefined operand be reported as Jinja does ("'x' is undefined").
    for (const a of args) c._emit(`, ${JSON.stringify(a.typename === 'Symbol' || a.typename === 'LookupVal' ? c._getNodeName(a) : 'value')}`);
    c._emit(')');
  };
  for (const [type, fn] of Object.entries(BINOPS)) {
    c[`compile${type}`] = (node, frame) => call(fn, [node.left as NjNode, node.right as NjNode], frame);
  }
  // `(a, b)` is a tuple in Python, not JavaScript's comma operator.
  c.compileGroup = (node, frame) => {
    if ((node.children ?? []).length > 1) proto.compileArray!.call(c, node, frame);
    else proto.compileGroup!.call(c, node, frame);
  };
  // `~` joins str() of both sides: None is 'None', undefined is '', floats keep their '.0'.
  c.compileConcat = (node, frame) => call('concat', [node.left as NjNode, node.right as NjNode], frame);
  c.compileLiteral = (node, frame) => {
    if (node.isFloat) c._emit(`runtime.float(${String(node.value)})`);
    else proto.compileLiteral!.call(c, node, frame);
  };
  c.compileNeg = (node, frame) => call('neg', [node.target as NjNode], frame);
  c.compileIn = (node, frame) => {
    c._emit('runtime.contains(');
    c.compile(node.right as NjNode, frame);
    c._emit(', ');
    c.compile(node.left as NjNode, frame);
    c._emit(')');
  };
  let soft = false;
  c.compileSymbol = (node, frame) => {
    const name = node.value as string;
    const constant = CONSTANTS[name];
    if (constant && !frame.lookup(name)) c._emit(constant);
    else if (soft && !frame.lookup(name)) c._emit(`runtime.softLookup(context, frame, ${JSON.stringify(name)})`);
    else proto.compileSymbol!.call(c, node, frame);
  };
  // `x is defined` must not fail under StrictUndefined, so its subject is looked up softly.
  c.compileIs = (node, frame) => {
    soft = (node.left as NjNode).typename === 'Symbol';
    try {
      proto.compileIs!.call(c, node, frame);
    } finally {
      soft = false;
    }
  };
  // Python `==` compares values (lists, dicts, datetimes), not identities.
  c.compileCompare = (node, frame) => {
    const ops = node.ops as NjNode[];
    c._emit('runtime.compare(');
    c.compile(node.expr as NjNode, frame);
    for (const op of ops) {
      c._emit(`, "${op.type as string}", `);
      c.compile(op.expr as NjNode, frame);
    }
    c._emit(')');
  };
  // The lookup carries the looked-up name so an undefined target can be reported like Jinja.
  c.compileLookupVal = (node, frame) => {
    c._emit('runtime.memberLookup((');
    c._compileExpression(node.target as NjNode, frame);
    c._emit('),');
    c._compileExpression(node.val as NjNode, frame);
    c._emit(`, ${JSON.stringify(c._getNodeName(node.target as NjNode))})`);
  };
  c.compileSlice = (node, frame) => {
    c._emit('runtime.slice(');
    c.compile(node.start as NjNode, frame);
    c._emit(', ');
    c.compile(node.stop as NjNode, frame);
    c._emit(', ');
    c.compile(node.step as NjNode, frame);
    c._emit(')');
  };
  // Python truthiness: empty lists and dicts are false.
  c.compileTruthy = (node, frame) => call('truthy', [node.target as NjNode], frame);
  for (const type of ['If', 'InlineIf']) {
    c[`compile${type}`] = (node, frame, ...rest) => {
      node.cond = new Truthy(node.lineno, node.colno, node.cond);
      proto[`compile${type}`]!.call(c, node, frame, ...rest);
    };
  }
  c.compileNot = (node, frame) => {
    c._emit('!');
    call('truthy', [node.target as NjNode], frame);
  };
  // `a or b` / `a and b` return an operand, chosen by Python truthiness.
  for (const [type, fn] of [['Or', 'or'], ['And', 'and']] as const) {
    c[`compile${type}`] = (node, frame) => {
      c._emit(`runtime.${fn}(`);
      c.compile(node.left as NjNode, frame);
      c._emit(', function() { return ');
      c.compile(node.right as NjNode, frame);
      c._emit('; })');
    };
  }
  // Sync loops compile to plain JavaScript `for` statements, so these map one to one.
  c.compileLoopControl = (node) => c._emitLine(`${node.keyword as string};`);
  c.compileDo = (node, frame) => {
    c.compile(node.expr as NjNode, frame);
    c._emitLine(';');
  };
  c.assertType = (node, ...types) => {
    if ((node as object) instanceof Slice || (node as object) instanceof Truthy) return;
    proto.assertType!.call(c, node, ...types);
  };
  c._emitLoopBindings = (node, ...rest) => {
    c._emitLine('runtime.tick();');
    proto._emitLoopBindings!.call(c, node, ...rest);
  };
  // `{% set ns.count = ns.count + 1 %}` (namespace attributes).
  c.compileSet = (node, frame) => {
    const targets = node.targets as NjNode[];
    const first = targets[0];
    if (targets.length !== 1 || first?.typename !== 'LookupVal' || !node.value) {
      proto.compileSet!.call(c, node, frame);
      return;
    }
    c._emit('runtime.setAttribute(');
    c._compileExpression(first.target as NjNode, frame);
    c._emit(', ');
    c._compileExpression(first.val as NjNode, frame);
    c._emit(', ');
    c._compileExpression(node.value as NjNode, frame);
    c._emitLine(');');
  };
  // `{% for x in xs if cond %}` parses as an inline if without else; Jinja filters the items.
  c.compileFor = (node, frame) => {
    const arr = node.arr as NjNode;
    if (arr.typename === 'InlineIf' && arr.else_ === null) {
      const names = (node.name as NjNode).typename === 'Array' ? ((node.name as NjNode).children ?? []) : [node.name as NjNode];
      const filtered = c._tmpid();
      const item = c._tmpid();
      const inner = frame.push();
      c._emitLine('frame = frame.push();');
      c._emit(`var ${filtered} = runtime.toList(`);
      c.compile(arr.body as NjNode, frame);
      c._emitLine(`).filter(function(${item}) {`);
      if (names.length === 1) c._emitLine(`frame.set(${JSON.stringify(names[0]!.value)}, ${item});`);
      else names.forEach((n, i) => c._emitLine(`frame.set(${JSON.stringify(n.value)}, ${item}[${i}]);`));
      c._emit('return runtime.truthy(');
      c.compile(arr.cond as NjNode, inner);
      c._emitLine(');});');
      c._emitLine('frame = frame.pop();');
      node.arr = new nodes.Symbol!(arr.lineno, arr.colno, filtered);
      proto.compileFor!.call(c, node, frameWith(frame, filtered));
      return;
    }
    proto.compileFor!.call(c, node, frame);
  };
  return c;
}

/** A compile-time frame in which `name` refers to the JavaScript variable of the same name. */
function frameWith(frame: NjFrame, name: string): NjFrame {
  const f = frame.push();
  f.set(name, name);
  return f;
}

function collectNames(node: NjNode, filters: Set<string>, tests: Set<string>): void {
  if (node.typename === 'Filter') filters.add(((node.name as NjNode).value as string) ?? '');
  if (node.typename === 'Is') {
    const right = node.right as NjNode;
    tests.add(((right.name as NjNode | undefined)?.value ?? right.value) as string);
  }
  for (const v of Object.values(node)) {
    if (v && typeof v === 'object') {
      if (Array.isArray(v)) v.forEach((x) => x && typeof x === 'object' && 'typename' in x && collectNames(x as NjNode, filters, tests));
      else if ('typename' in v) collectNames(v as NjNode, filters, tests);
    }
  }
}

/** Parses and compiles `source`; throws TemplateSyntaxError with Jinja's wording. */
export function compileTemplate(source: string, env: nunjucks.Environment): nunjucks.Template {
  const unbalanced = balanceError(source);
  if (unbalanced) throw new TemplateSyntaxError(unbalanced);
  const ast = makeParser(source).parseAsRoot();
  const filters = new Set<string>();
  const tests = new Set<string>();
  collectNames(ast, filters, tests);
  const envFilters = (env as unknown as { filters: Record<string, unknown> }).filters;
  const envTests = (env as unknown as { tests: Record<string, unknown> }).tests;
  for (const f of filters) if (!envFilters[f]) throw new TemplateSyntaxError(`No filter named '${f}'.`, 'TemplateAssertionError');
  for (const t of tests) if (!envTests[t]) throw new TemplateSyntaxError(`No test named '${t}'.`, 'TemplateAssertionError');
  const c = makeCompiler();
  // nunjucks' transformer only rewrites async filters and blocks; neither exists here.
  c.compile(ast, undefined as unknown as NjFrame);
  const props = new Function(c.getCode())() as { root: RootFn };
  const root = props.root;
  // Compiled code reaches everything through the runtime argument; hand it ours.
  props.root = (e, ctx, frame, _runtime, cb) => root(e, ctx, frame, templateRuntime, cb);
  return new nunjucks.Template({ type: 'code', obj: props } as unknown as string, env, 'template');
}
