/** What the standalone runner prints: a readable log of rules firing and what they changed. */
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { FromEngine, RuleInfo } from '../engine/messages';

// rule id -> its title and last printed status, so only changes are printed
const known = new Map<string, { title: string; status: string; enabled: boolean }>();

function time(clock: Clock, iso?: string): string {
  const at = iso ? DateTime.fromISO(iso).setZone(clock.zone) : clock.now();
  return at.toFormat('HH:mm:ss');
}

function noteRule(rule: RuleInfo, clock: Clock, announce: boolean): void {
  const before = known.get(rule.id);
  known.set(rule.id, { title: rule.title, status: rule.status, enabled: rule.enabled });
  if (!before) {
    if (announce) {
      const state = rule.enabled ? 'on ' : 'off';
      console.log(`  [${state}] ${rule.title} (${rule.file}): ${rule.description}`);
      if (rule.status !== 'ok') console.log(`        status: ${rule.status}`);
    }
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
      if (fresh.length > 0) console.log(`${fresh.length} rule(s):`);
      for (const rule of message.rules) noteRule(rule, clock, true);
      if (fresh.length > 0) console.log('');
      return;
    }
    case 'ruleChanged':
      noteRule(message.rule, clock, true);
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
