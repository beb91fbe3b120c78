import fs from 'fs';

export default function globalTeardown(): void {
  const folder = process.env.RULE_THINGS_BUILDS;
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
}
