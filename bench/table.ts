/** Prints the results as a fixed-width table and as the Markdown table pasted into the README. */
import type { ResultRow, Target } from './resultShape';

function showTarget(target: Target | null, unit: string): string {
  if (!target) return '—';
  return `${target.op === '<=' ? '≤' : '≥'} ${target.value} ${unit} (${target.judgedOn})`;
}

function showVerdict(row: ResultRow): string {
  return row.met === null ? 'info' : row.met ? 'met' : 'MISSED';
}

function cells(row: ResultRow): string[] {
  return [
    row.name,
    `${row.median}`,
    `${row.p99}`,
    row.unit,
    showTarget(row.target, row.unit),
    showVerdict(row),
    `${row.runs.length}`,
  ];
}

const HEADER = ['figure', 'median', 'p99', 'unit', 'target', 'verdict', 'runs'];

/** A plain table for the terminal. */
export function textTable(rows: ResultRow[]): string {
  const lines = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  return lines.map((line) => line.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}

/** The same table in Markdown. */
export function markdownTable(rows: ResultRow[]): string {
  const line = (values: string[]) => `| ${values.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((row) => line(cells(row)))].join(
    '\n'
  );
}
