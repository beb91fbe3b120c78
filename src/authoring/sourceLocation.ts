/** Finds where in a rule file a runtime error happened (from its stack) or, failing that, where the rule's triggers are declared. */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export interface SourcePosition {
  line: number;
  column: number;
}

// "    at new AbsoluteTimeTrigger (/x/src/triggers/AbsoluteTimeTrigger.ts:40:5)" or "    at /x/rules/wake.ts:12:7"
const FRAME = /\(?((?:[A-Za-z]:)?[^():\s]+):(\d+):(\d+)\)?\s*$/;

/**
 * The first stack frame of `error` inside `file`: line and column there. Sucrase, which loads
 * rule files, keeps line numbers, so the line is the author's own.
 */
export function positionInStack(error: unknown, file: string): SourcePosition | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  const wanted = path.resolve(file);
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const frameFile = match[1].startsWith('file://') ? match[1].slice('file://'.length) : match[1];
    if (path.resolve(frameFile) === wanted) {
      return { line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}

/**
 * Where a rule class's triggers come from: its `triggers()` method, else its declaration; the
 * fallback position for a trigger problem whose stack does not lead into the file.
 */
export function triggersPosition(file: string, className: string | undefined): SourcePosition {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { line: 1, column: 1 };
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  let found: ts.Node | undefined;
  let fallback: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const name = node.name?.text;
      const matches =
        className === undefined || name === className || (!name && className === 'default');
      if (matches) {
        fallback ??= node;
        found = node.members.find(
          (member) => ts.isMethodDeclaration(member) && member.name.getText(source) === 'triggers'
        );
        if (found) return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const node = found ?? fallback;
  if (!node) return { line: 1, column: 1 };
  const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
  return { line: line + 1, column: character + 1 };
}
