/** One line per scenario in the suite's output: its id, what it checked and its figure. */
export function scenario(id: string, name: string, figure: string): void {
  process.stdout.write(`  scenario ${id}: ${name}: ${figure}\n`);
}
