/** What the standalone runner prints: a readable log of rules firing and what they changed. */
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { FromEngine, RuleInfo } from '../engine/messages';

// rule id -> its title and last printed status, so only changes are printed
const known = new Map<
  string,
  { title: string; status: string; enabled: boolean; description: string }
>();

function time(clock: Clock, iso?: string): string {
  const at = iso ? DateTime.fromISO(iso).setZone(clock.zone) : clock.now();
  return at.toFormat('HH:mm:ss');
}

function noteRule(rule: RuleInfo, clock: Clock): void {
  const before = known.get(rule.id);
  known.set(rule.id, {
    title: rule.title,
    status: rule.status,
    enabled: rule.enabled,
    description: rule.description,
  });
  // A rule is shown once it has its sentence, which needs the gateway's things.
  if (rule.description && !before?.description) {
    console.log(`  [${rule.enabled ? 'on ' : 'off'}] ${rule.title}: ${rule.description}`);
  }
  if (!before) {
    if (rule.status !== 'ok') console.log(`  ${rule.title} (${rule.file}): ${rule.status}`);
    return;
  }
  if (before.enabled !== rule.enabled) {
    console.log(`${time(clock)}  ${rule.title} switched ${rule.enabled ? 'on' : 'off'}`);
  }
  if (before.status !== rule.status) {
    console.log(`${time(clock)}  ${rule.title}: ${rule.status}`);
  }
}

/** Prints one engine message; heartbeats and replies print nothing. */
export function printEngineMessage(message: FromEngine, clock: Clock, verbose = false): void {
  switch (message.type) {
    case 'rules': {
      const fresh = message.rules.filter((rule) => !known.has(rule.id));
      if (fresh.length > 0)
        console.log(`${fresh.length} rule(s) loaded; connecting to the gateway…`);
      const described = message.rules.filter(
        (rule) => rule.description && !known.get(rule.id)?.description
      );
      for (const rule of message.rules) noteRule(rule, clock);
      if (described.length > 0) console.log('');
      return;
    }
    case 'ruleChanged':
      noteRule(message.rule, clock);
      return;
    case 'ruleRemoved':
      console.log(`${time(clock)}  ${known.get(message.ruleId)?.title ?? message.ruleId} removed`);
      known.delete(message.ruleId);
      return;
    case 'fired': {
      const { record } = message;
      if (record.changes.length === 0 && !verbose) return;
      const title = known.get(record.ruleId)?.title ?? record.ruleId;
      console.log(`${time(clock, record.at)}  ${title} ← ${record.trigger}`);
      for (const change of record.changes) console.log(`            ${change}`);
      return;
    }
    case 'log':
      if (message.level === 'debug' || (message.level === 'info' && !verbose)) return;
      console.log(
        `${time(clock)}  ${message.level === 'info' ? '' : `${message.level}: `}${message.message}`
      );
      return;
    default:
      return;
  }
}
