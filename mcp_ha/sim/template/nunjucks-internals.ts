// The parts of nunjucks' internals this engine builds on. @types/nunjucks only describes the
// public API, so the compiler, parser and AST shapes we use are declared here.
import nunjucks from 'nunjucks';

export interface NjNode {
  typename: string;
  lineno: number;
  colno: number;
  value?: unknown;
  children?: NjNode[];
  [field: string]: unknown;
}

export interface NjFrame {
  push(): NjFrame;
  set(name: string, value: unknown): void;
  lookup(name: string): string | undefined;
}

export interface NjCompiler {
  codebuf: string[];
  _emit(code: string): void;
  _emitLine(code: string): void;
  _tmpid(): string;
  compile(node: NjNode, frame: NjFrame): void;
  _compileExpression(node: NjNode, frame: NjFrame): void;
  _getNodeName(node: NjNode): string;
  getCode(): string;
  [method: string]: unknown;
}

export interface NjParser {
  extensions: unknown[];
  parseAsRoot(): NjNode;
  [method: string]: unknown;
}

interface NjInternals {
  compiler: { Compiler: new (name: string, throwOnUndefined: boolean) => NjCompiler };
  parser: { Parser: new (tokens: unknown) => NjParser };
  lexer: { lex(src: string, opts: object): unknown };
  runtime: Record<string, unknown> & { Frame: new () => NjFrame };
  nodes: Record<string, new (...args: unknown[]) => NjNode>;
}

export const nj = nunjucks as unknown as NjInternals & typeof nunjucks;
