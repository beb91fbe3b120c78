/**
 * Prepares the folder the engine loads rules from: created on the first start with a README that
 * explains how to write a rule, and the shipped examples copied once into its `examples/`
 * subfolder (offered, not run: they name the seed's things), never overwriting the user's files.
 */
import fs from 'fs';
import path from 'path';

export const EXAMPLES_SUBFOLDER = 'examples';

const README = `# Rule Things: your rules

Every \`*.ts\` and \`*.js\` file in this folder is a rule file. Save one and, within two
seconds, each rule class in it appears as a RuleThing in the gateway (click "+" on the Things
page to add it). Edit or delete the file and its RuleThing follows. A file that does not
compile shows its error, with file and line, in the \`status\` of its RuleThing; the other
rules keep running.

## A rule

\`\`\`ts
import { Rule, AbsoluteTimeTrigger } from 'rule-things';

export default class MorningWake extends Rule {
  // A setting: a writable "Alarm time" property of the RuleThing, kept across restarts.
  alarm = this.setting('alarmTime', '06:30');

  triggers() {
    return [new AbsoluteTimeTrigger(this.alarm, { days: 'weekdays' })];
  }

  async action() {
    await this.things.Bedside_Ikea_Light.fadeTo('level', 100, '20m');
  }
}
\`\`\`

- \`this.things.<Title>\` is every thing of the gateway, its title with anything that is not a
  letter, digit or \`_\` made \`_\` ("Porch Light" → \`Porch_Light\`); \`this.thing('Porch Light')\`
  finds one by its real title or id.
- Reading a property gives its last known value; assigning sets it.
- \`triggers()\` returns things (any property change), \`thing.property('on')\`,
  \`thing.event('pressed')\`, and time triggers: \`HeartBeat('2s')\`,
  \`AbsoluteTimeTrigger('06:30')\`, \`DelayTimer\`, \`DurationTimer\`, solar events.
- \`action(trigger, property, value)\` runs on each trigger.

## Examples

\`examples/\` holds the rules that come with Rule Things. They are not loaded from there:
copy one up into this folder to run it, and change the thing names to yours. Rule Things
copied them once and will not overwrite them or anything else here.
`;

/**
 * Makes sure `folder` exists. When this call creates it, writes the README and copies the
 * files of `examplesDir` into `folder/examples`. Returns what it did, for the log.
 */
export function prepareRulesFolder(folder: string, examplesDir: string): string[] {
  const done: string[] = [];
  if (fs.existsSync(folder)) return done;
  fs.mkdirSync(folder, { recursive: true });
  done.push(`created the rules folder ${folder}`);
  writeIfAbsent(path.join(folder, 'README.md'), README);
  if (fs.existsSync(examplesDir)) {
    const target = path.join(folder, EXAMPLES_SUBFOLDER);
    const copied = copyIfAbsent(examplesDir, target);
    done.push(`copied ${copied} example file(s) into ${target}`);
  }
  return done;
}

function writeIfAbsent(file: string, text: string): void {
  // 'wx' fails if the file exists: the user's file always wins.
  try {
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function copyIfAbsent(from: string, to: string): number {
  fs.mkdirSync(to, { recursive: true });
  let count = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) count += copyIfAbsent(source, target);
    else if (entry.isFile() && !fs.existsSync(target)) {
      fs.copyFileSync(source, target, fs.constants.COPYFILE_EXCL);
      count++;
    }
  }
  return count;
}
