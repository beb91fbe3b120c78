/** Type-checks rule files with the TypeScript compiler against the rule API and a home's generated thing types, keeping parsed files between runs so a re-check is fast. */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { defaultApiFile, nodeTypeRoot } from './apiFiles';
import { Diagnostic } from './diagnostics';
import {
  lookupThingProperty,
  thingNameOf,
  numericLiteral,
  PropertyWrite,
  propertyWrite,
  rangeProblem,
  rangeWords,
  ThingProperty,
} from './thingLookup';

/** What to check rule files against. */
export interface TypeCheckOptions {
  /** Declarations made by `generateThingTypes` (e.g. "rules/things.d.ts"); without them `this.things` is untyped. */
  typesFile?: string;
  /** The declarations `import … from 'rule-things'` resolves to; found next to this module by default. */
  apiFile?: string;
}

// Stands in for @types/node (a devDependency, absent from the packaged add-on) so `console.log` type-checks.
const FALLBACK_GLOBALS_FILE = path.join(__dirname, '__rule-things-globals__.d.ts');
const FALLBACK_GLOBALS = `declare var console: { log(...data: unknown[]): void; info(...data: unknown[]): void; warn(...data: unknown[]): void; error(...data: unknown[]): void; debug(...data: unknown[]): void };\n`;

/** The compiler options rules are checked with: strict, modern, nothing emitted, library files trusted. */
export function compilerOptions(apiFile: string, typeRoot = nodeTypeRoot()): ts.CompilerOptions {
  return {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    esModuleInterop: true,
    // Declarations of the API and of node are trusted; checking them would triple the time of a check.
    skipLibCheck: true,
    noEmit: true,
    allowJs: true,
    checkJs: false,
    noImplicitOverride: true,
    baseUrl: path.dirname(apiFile),
    paths: { 'rule-things': [apiFile] },
    ...(typeRoot ? { typeRoots: [typeRoot], types: ['node'] } : { types: [] }),
  };
}

interface CachedSource {
  version: string;
  source: ts.SourceFile;
}

/**
 * Holds one compiler host and the previous program, so that checking again after a rule file
 * changed re-parses only that file (the API, the node and lib declarations stay parsed).
 */
export class RuleTypeChecker {
  // absolute file name -> parsed file and the mtime/size it was parsed at
  private readonly sources = new Map<string, CachedSource>();
  private previous?: ts.Program;
  /** The files of the last check that do not parse (or do not exist): they cannot be loaded either. */
  readonly unparsable = new Set<string>();

  /** Type errors (and range problems) of `files`, each relative to how it was given. */
  check(files: string[], options: TypeCheckOptions = {}): Diagnostic[] {
    const apiFile = path.resolve(options.apiFile ?? defaultApiFile());
    const typeRoot = nodeTypeRoot();
    const compilerOpts = compilerOptions(apiFile, typeRoot);
    const byAbsolute = new Map(files.map((file) => [path.resolve(file), file]));
    const diagnostics: Diagnostic[] = [];
    this.unparsable.clear();
    for (const [absolute, file] of byAbsolute) {
      if (!fs.existsSync(absolute)) {
        this.unparsable.add(file);
        diagnostics.push({
          file,
          line: 1,
          column: 1,
          message: `Cannot read rule file: ${absolute} does not exist`,
          severity: 'error',
          code: 'load',
        });
        byAbsolute.delete(absolute);
      }
    }
    const roots = [...byAbsolute.keys()];
    const typesFile = options.typesFile ? path.resolve(options.typesFile) : undefined;
    if (typesFile) roots.push(typesFile);
    if (!typeRoot) roots.push(FALLBACK_GLOBALS_FILE);

    const program = ts.createProgram({
      rootNames: roots,
      options: compilerOpts,
      host: this.host(compilerOpts),
      oldProgram: this.previous,
    });
    this.previous = program;
    const checker = program.getTypeChecker();

    for (const d of program.getOptionsDiagnostics()) {
      diagnostics.push(toDiagnostic(d, files[0] ?? '', undefined, checker, new Set()));
    }
    const checked: [string, string][] = [...byAbsolute];
    if (typesFile) checked.push([typesFile, options.typesFile!]);
    for (const [absolute, file] of checked) {
      const source = program.getSourceFile(absolute);
      if (!source) continue;
      const flagged = new Set<ts.Node>();
      if (absolute !== typesFile)
        diagnostics.push(...rangeDiagnostics(source, file, checker, flagged));
      const syntactic = program.getSyntacticDiagnostics(source);
      if (syntactic.length > 0) this.unparsable.add(file);
      for (const d of [...syntactic, ...program.getSemanticDiagnostics(source)]) {
        const diagnostic = toDiagnostic(d, file, source, checker, flagged);
        if (diagnostic.message) diagnostics.push(diagnostic);
      }
    }
    return diagnostics;
  }

  /** A compiler host that reuses parsed files whose mtime and size have not changed. */
  private host(options: ts.CompilerOptions): ts.CompilerHost {
    const host = ts.createCompilerHost(options, true);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === FALLBACK_GLOBALS_FILE || fileExists(name);
    host.readFile = (name) => (name === FALLBACK_GLOBALS_FILE ? FALLBACK_GLOBALS : readFile(name));
    host.getSourceFile = (name, languageVersion, onError) => {
      let version = 'fallback';
      if (name !== FALLBACK_GLOBALS_FILE) {
        try {
          const stat = fs.statSync(name);
          version = `${stat.mtimeMs}:${stat.size}`;
        } catch {
          return undefined;
        }
      }
      const cached = this.sources.get(name);
      if (cached && cached.version === version) return cached.source;
      const text = host.readFile(name);
      if (text === undefined) {
        onError?.(`Cannot read ${name}`);
        return undefined;
      }
      const source = ts.createSourceFile(name, text, languageVersion, true);
      this.sources.set(name, { version, source });
      return source;
    };
    return host;
  }
}

/** Flags numeric literals written to a thing property outside its range, even where the type is a plain `number`. */
function rangeDiagnostics(
  source: ts.SourceFile,
  file: string,
  checker: ts.TypeChecker,
  flagged: Set<ts.Node>
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (node: ts.Node): void => {
    const write = propertyWrite(node);
    const value = write && numericLiteral(write.value);
    if (write && value !== undefined) {
      const target = lookupThingProperty(checker, write.object, write.property);
      const problem = target && rangeProblem(target, value);
      if (target && problem) {
        flagged.add(write.value);
        found.push({
          ...position(source, write.value.getStart(source)),
          file,
          message: `${target.thing}.${target.property}: ${problem}${allowed(target)}`,
          severity: 'error',
          code: 'range',
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function allowed(target: ThingProperty): string {
  const words = rangeWords(target);
  return words ? ` (allowed: ${words})` : '';
}

function position(source: ts.SourceFile, offset: number): { line: number; column: number } {
  const { line, character } = source.getLineAndCharacterOfPosition(offset);
  return { line: line + 1, column: character + 1 };
}

/** The compiler's message on one line ("Type 'x' is not assignable … Types of property …"). */
function flatten(message: string | ts.DiagnosticMessageChain): string {
  return ts
    .flattenDiagnosticMessageText(message, '\n')
    .split('\n')
    .map((line) => line.trim())
    .join(' ');
}

/**
 * A compiler diagnostic in our shape, reworded where the generated types let us name the thing
 * and property; a message of "" means "already reported by the range check".
 */
function toDiagnostic(
  d: ts.Diagnostic,
  file: string,
  source: ts.SourceFile | undefined,
  checker: ts.TypeChecker,
  flagged: Set<ts.Node>
): Diagnostic {
  const at = source && d.start !== undefined ? position(source, d.start) : { line: 1, column: 1 };
  const text = flatten(d.messageText);
  const base = {
    file,
    ...at,
    severity: d.category === ts.DiagnosticCategory.Warning ? 'warning' : 'error',
    code: `TS${d.code}`,
  } as const;
  if (!source || d.start === undefined) return { ...base, message: text };
  return { ...base, message: reword(d, text, source, checker, flagged) };
}

const MISSING = /^Property '(.+?)' does not exist on type '(.+?)'\.(?: Did you mean '(.+?)'\?)?/;

function reword(
  d: ts.Diagnostic,
  text: string,
  source: ts.SourceFile,
  checker: ts.TypeChecker,
  flagged: Set<ts.Node>
): string {
  const missing = (d.code === 2339 || d.code === 2551) && MISSING.exec(text);
  if (missing) {
    const [, name, type, suggestion] = missing;
    const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
    if (type === 'KnownThings') return `this.things.${name}: no thing has this name${hint}`;
    const thing = /^(.+)_Thing$/.exec(type);
    if (thing)
      return `${thing[1]}.${name}: ${thing[1]} has no property or member of this name${hint}`;
  }
  if (d.code === 2345) {
    const named = nameArgument(source, d.start!, checker, text);
    if (named) return named;
  }
  if (d.code === 2322 || d.code === 2345) {
    const write = enclosingWrite(source, d.start!);
    if (write) {
      if (flagged.has(write.value)) return '';
      const target = lookupThingProperty(checker, write.object, write.property);
      if (target) {
        const range = rangeWords(target);
        const valueType = checker.typeToString(checker.getTypeAtLocation(write.value));
        if (range && /^(number|Integer_)/.test(valueType)) {
          const alias = /type '(Integer_[A-Za-z0-9_]+)'/.exec(text)?.[1];
          return (
            `${target.thing}.${target.property}: a ${valueType} may be outside ${range}; ` +
            `check it, then assert the type` +
            (alias ? ` (\`as ${alias}\`, with import type { ${alias} } from 'rule-things')` : '')
          );
        }
        return `${target.thing}.${target.property}: ${text}`;
      }
    }
  }
  return text;
}

// thing method -> what its first argument names
const NAME_ARGUMENTS: Record<string, string> = {
  event: 'event',
  property: 'property',
  get: 'property',
  call: 'action',
  set: 'writable property',
  fadeTo: 'writable numeric property',
};

/**
 * "Button_1.event('longPressed'): Button_1 has no event of this name (it has 'pressed')" when
 * the compiler refused the name given to a thing's event(), property(), call(), set() …
 */
function nameArgument(
  source: ts.SourceFile,
  offset: number,
  checker: ts.TypeChecker,
  text: string
): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.getFullStart() || offset >= node.getEnd()) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.arguments.length > 0 &&
      node.arguments[0].getStart(source) === offset &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const method = node.expression.name.text;
      const kind = NAME_ARGUMENTS[method];
      const thing = kind && thingNameOf(checker.getTypeAtLocation(node.expression.expression));
      if (kind && thing) {
        const allowed = /parameter of type '(.+?)'\.?$/.exec(text)?.[1];
        const has =
          !allowed || allowed === 'never' ? 'it has none' : `it has ${allowed.replace(/"/g, "'")}`;
        found = `${thing}.${method}('${node.arguments[0].text}'): ${thing} has no ${kind} of this name (${has})`;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The property write whose target or value starts at `offset` (where the compiler reports 2322/2345). */
function enclosingWrite(source: ts.SourceFile, offset: number): PropertyWrite | undefined {
  let found: PropertyWrite | undefined;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.getFullStart() || offset >= node.getEnd()) return;
    const write = propertyWrite(node);
    if (write) {
      const target = ts.isBinaryExpression(node) ? node.left : write.value;
      if (target.getStart(source) === offset) found = write;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** One checker for the whole process: the add-on re-checks on every rule file change. */
export const sharedTypeChecker = new RuleTypeChecker();
