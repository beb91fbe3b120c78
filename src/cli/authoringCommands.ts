/** `rule-things types`, `check` and `simulate`: the authoring tools, against a gateway or the simulated home. */
import fs from 'fs';
import path from 'path';
import { checkRules, hasErrors } from '../authoring/check';
import { formatDiagnostic } from '../authoring/diagnostics';
import { simulateRule, simulationJson } from '../authoring/simulate';
import { generateThingTypes } from '../authoring/thingTypes';
import { writeThingTypes } from '../authoring/typesFile';
import type { ThingState } from '../protocol/gateway';
import { seedHome } from '../simulator';
import { WebThingClient } from '../webthing';
import {
  Flags,
  gatewayToken,
  NO_TOKEN,
  numberOption,
  option,
  placeOption,
  settingsOption,
  UsageError,
} from './options';

/** The things of the gateway (--gateway), else of the simulated home. */
async function readThings(flags: Flags): Promise<{ things: ThingState[]; source: string }> {
  const gatewayUrl = option(flags, 'gateway');
  if (!gatewayUrl) {
    const home = seedHome();
    return {
      things: home.thingIds().map((id) => ({
        description: home.describe(id),
        values: home.values(id),
        connected: true,
      })),
      source: 'the simulated home',
    };
  }
  const token = gatewayToken(flags);
  if (!token) throw new UsageError(NO_TOKEN);
  const client = new WebThingClient({
    gatewayUrl,
    token,
    acceptSelfSigned: Boolean(flags['accept-self-signed']),
    connectAttempts: 1,
  });
  try {
    await client.connect();
    return { things: structuredClone(client.things()), source: gatewayUrl };
  } finally {
    await client.close();
  }
}

export async function types(flags: Flags): Promise<number> {
  const { things, source } = await readThings(flags);
  const descriptions = things.map((thing) => thing.description);
  if (!flags.out) {
    process.stdout.write(generateThingTypes(descriptions, { source }));
    return 0;
  }
  fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
  const changed = writeThingTypes(flags.out, descriptions, { source });
  console.log(`${flags.out}: ${descriptions.length} things${changed ? '' : ' (unchanged)'}`);
  return 0;
}

export async function check(flags: Flags, files: string[], zone: string): Promise<number> {
  if (files.length === 0) throw new UsageError('check needs one or more rule files');
  const { things } = await readThings(flags);
  const diagnostics = await checkRules(
    files.map((file) => path.resolve(file)),
    {
      typesFile: typesFileFor(flags, files),
      things,
      zone,
      place: placeOption(flags),
    }
  );
  for (const diagnostic of diagnostics) console.log(formatDiagnostic(diagnostic, process.cwd()));
  if (!hasErrors(diagnostics)) console.log(`${files.length} file(s) checked: no errors`);
  return hasErrors(diagnostics) ? 1 : 0;
}

/** --types, else the things.d.ts that `types --out` (or the add-on) put beside the first file. */
function typesFileFor(flags: Flags, files: string[]): string | undefined {
  if (flags.types) return path.resolve(flags.types);
  const beside = path.join(path.dirname(path.resolve(files[0])), 'things.d.ts');
  return fs.existsSync(beside) ? beside : undefined;
}

export async function simulate(flags: Flags, files: string[], zone: string): Promise<number> {
  if (files.length === 0) throw new UsageError('simulate needs one or more rule files');
  if (!flags.from) throw new UsageError('simulate needs --from, e.g. --from 2027-03-26T00:00');
  const days = Number(flags.days ?? 7);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new UsageError(`--days "${flags.days}" is not a whole number from 1 to 366`);
  }
  const things = option(flags, 'gateway') ? (await readThings(flags)).things : undefined;
  const simulation = await simulateRule(
    files.map((file) => path.resolve(file)),
    {
      from: flags.from,
      days,
      tz: zone,
      lat: numberOption(flags, 'lat', -90, 90),
      lon: numberOption(flags, 'lon', -180, 180),
      things,
      rules: flags.rule,
      all: flags.all,
      settings: settingsOption(flags.set ?? []),
    }
  );
  console.log(flags.json ? JSON.stringify(simulationJson(simulation), null, 2) : simulation.text);
  return simulation.failures.length > 0 ? 1 : 0;
}
