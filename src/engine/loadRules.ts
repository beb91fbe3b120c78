/**
 * Loads rule files: TypeScript is transpiled on the fly with sucrase (pure JS, line numbers kept),
 * `import … from 'rule-things'` gets the engine's own API, and every exported Rule class becomes
 * a rule whose id comes from the file and class name. A file that does not compile or throws
 * while loading becomes one entry whose status says "failed to load <file>:<line>: <message>".
 */
import { createHash } from 'crypto';
import fs from 'fs';
import { createRequire } from 'module';
import path from 'path';
import vm from 'vm';
import { transform } from 'sucrase';
import * as api from '../api';
import { messageOf } from './errorMessage';
import { Rule } from './Rule';
import { ruleId } from './ruleNaming';
import { RuleScope, runInScope } from './RuleScope';
import { WhileRule } from './WhileRule';

export interface LoadedRule {
  id: string;
  /** The class name ("MorningWakeRule"). */
  name: string;
  ruleClass: new () => Rule;
}

export interface LoadedFile {
  /** Relative to the rules folder. */
  file: string;
  rules: LoadedRule[];
  /** Set when the file failed: the entry the add-on shows in its place. */
  failure?: { id: string; name: string; status: string };
}

/** The home's thing types in a rules folder (written by the add-on, read by editors and the type check); never a rule file. */
export const THING_TYPES_FILE = 'things.d.ts';

const RULE_FILE = /^[^.].*(?<!\.d)\.(ts|js|cjs)$/;

/** The rule files directly in `folder` (not in subfolders such as `examples/`), sorted. */
export function listRuleFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && RULE_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export function isRuleFile(name: string): boolean {
  return RULE_FILE.test(path.basename(name));
}

/**
 * Compiles and runs one file and collects its rule classes; never throws.
 *
 * @example loadRuleFile('/home/me/rules', 'morning-wake.ts').rules.map((r) => r.id) // ['morning-wake']
 */
export function loadRuleFile(folder: string, file: string): LoadedFile {
  const absolute = path.resolve(folder, file);
  let exports: unknown;
  try {
    exports = new FileLoader(file).load(absolute);
  } catch (error) {
    const base = path.basename(file).replace(/\.[^.]+$/, '');
    return {
      file,
      rules: [],
      failure: {
        id: ruleId(file, ''),
        name: base,
        status: `failed to load ${file}:${lineOf(error, absolute)}: ${cleanMessage(error, absolute)}`,
      },
    };
  }
  return { file, rules: ruleClassesOf(exports, file) };
}

/**
 * What a file holds, as a short hash: a file set aside (it threw, exited or blocked while loading)
 * is loaded again only once this changes. Undefined when the file cannot be read.
 */
export function fileFingerprint(folder: string, file: string): string | undefined {
  try {
    const content = fs.readFileSync(path.resolve(folder, file));
    return createHash('sha256').update(content).digest('hex').slice(0, 16);
  } catch {
    return undefined;
  }
}

/** Every file of the folder, loaded. */
export function loadRules(folder: string): LoadedFile[] {
  return listRuleFiles(folder).map((file) => loadRuleFile(folder, file));
}

function ruleClassesOf(exports: unknown, file: string): LoadedRule[] {
  const candidates: [string, unknown][] =
    typeof exports === 'function' ? [['default', exports]] : Object.entries(exports ?? {});
  const seen = new Set<unknown>();
  const rules: LoadedRule[] = [];
  const fallback = path.basename(file).replace(/\.[^.]+$/, '');
  for (const [key, value] of candidates) {
    if (typeof value !== 'function' || seen.has(value)) continue;
    if (!(value.prototype instanceof Rule) || value === WhileRule) continue;
    seen.add(value);
    const name = value.name || (key === 'default' ? fallback : key);
    rules.push({ id: ruleId(file, name), name, ruleClass: value as new () => Rule });
  }
  return rules;
}

/** Compiles a file and the relative files it imports, each once per load. */
class FileLoader {
  // absolute path -> its module, so cycles and repeated imports work within one load
  private readonly modules = new Map<string, { exports: unknown }>();
  // The rule file's top level (and the files it imports): what it starts is charged to its rules.
  private readonly scope: RuleScope;

  constructor(file: string) {
    this.scope = { file, method: 'top level' };
  }

  load(absolute: string): unknown {
    const cached = this.modules.get(absolute);
    if (cached) return cached.exports;
    const source = fs.readFileSync(absolute, 'utf8');
    const transforms: ('typescript' | 'imports')[] = /\.ts$/.test(absolute)
      ? ['typescript', 'imports']
      : ['imports'];
    const { code } = transform(source, { transforms, filePath: absolute });
    // Wrapped on the file's first line so line numbers in errors stay those of the file.
    const wrapper = vm.runInThisContext(
      `(function (exports, require, module, __filename, __dirname) {${code}\n})`,
      { filename: absolute }
    ) as (...args: unknown[]) => void;
    const module = { exports: {} as unknown };
    this.modules.set(absolute, module);
    runInScope(this.scope, () =>
      wrapper.call(
        module.exports,
        module.exports,
        this.requireFor(absolute),
        module,
        absolute,
        path.dirname(absolute)
      )
    );
    return module.exports;
  }

  private requireFor(absolute: string): (specifier: string) => unknown {
    const nodeRequire = createRequire(absolute);
    return (specifier: string) => {
      if (specifier === 'rule-things') return api;
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        const local = resolveLocal(path.resolve(path.dirname(absolute), specifier));
        if (local) return this.load(local);
      }
      return nodeRequire(specifier);
    };
  }
}

function resolveLocal(base: string): string | undefined {
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.js`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.js'),
  ]) {
    if (
      fs.existsSync(candidate) &&
      fs.statSync(candidate).isFile() &&
      /\.(ts|js|cjs)$/.test(candidate)
    ) {
      return candidate;
    }
  }
  return undefined;
}

/** The line in `absolute` where loading failed: sucrase's location, a syntax error's, or the stack's. */
function lineOf(error: unknown, absolute: string): number | string {
  const loc = (error as { loc?: { line?: number } })?.loc;
  if (loc?.line) return loc.line;
  const stack = String((error as Error)?.stack ?? '');
  const escaped = absolute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)`).exec(stack);
  return match ? Number(match[1]) : '?';
}

function cleanMessage(error: unknown, absolute: string): string {
  return messageOf(error)
    .replace(`Error transforming ${absolute}: `, '')
    .replace(/ \(\d+:\d+\)$/, '');
}
