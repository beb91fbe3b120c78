/** The week ahead: when each enabled time-triggered rule will fire, and when the sun rises and sets, read from the triggers' pure `next()` without running or waiting for anything. */
import { DateTime } from 'luxon';
import { SolarEventTrigger } from '../triggers/SolarEventTrigger';
import { TimeTrigger } from '../triggers/TimeTrigger';
import type { PreviewOccurrence } from './messages';
import type { RuleSystem } from './RuleSystem';

/** A trigger that fires more often than this in the window is one line (a HeartBeat every 2 s would be 302,400). */
export const MAX_LISTED_PER_TRIGGER = 50;

/** The longest window asked for; the page shows a week. */
export const MAX_PREVIEW_DAYS = 31;

const SUN_EVENTS = ['sunrise', 'sunset'] as const;

/**
 * Every firing of the enabled rules' time triggers in [fromMs, fromMs + days) local days of the
 * system's zone, with sunrise and sunset at its place, in time order. A trigger that cannot say
 * (a solar event without a place) is left out: its rule's status tells why.
 *
 * @example weekAhead(system, Date.parse('2027-06-14T06:00:00Z'), 7)
 * // [{ at: '2027-06-14T21:32:05.000+02:00', kind: 'sun', title: 'sunset', … }, …]
 */
export function weekAhead(system: RuleSystem, fromMs: number, days: number): PreviewOccurrence[] {
  const span = Math.min(Math.max(Math.floor(days), 1), MAX_PREVIEW_DAYS);
  const from = DateTime.fromMillis(fromMs, { zone: system.zone });
  // Local days, so a week that crosses a DST change still ends at the same wall time.
  const until = from.plus({ days: span });
  const found: { ms: number; occurrence: PreviewOccurrence }[] = [];
  const add = (at: DateTime, occurrence: Omit<PreviewOccurrence, 'at'>) =>
    found.push({ ms: at.toMillis(), occurrence: { at: at.toISO() ?? '', ...occurrence } });

  for (const rule of system.rules()) {
    if (!rule.enabled) continue;
    for (const trigger of system.triggersOf(rule.id)) {
      if (!(trigger instanceof TimeTrigger)) continue;
      let upcoming;
      try {
        upcoming = trigger.upcoming(from, until, system.place, MAX_LISTED_PER_TRIGGER + 1);
      } catch {
        continue;
      }
      const line = { kind: 'rule' as const, ruleId: rule.id, title: rule.title };
      if (upcoming.length > MAX_LISTED_PER_TRIGGER) {
        add(upcoming[0].at, { ...line, trigger: trigger.describe(), repeating: true });
        continue;
      }
      for (const { at } of upcoming) add(at, { ...line, trigger: trigger.describe() });
    }
  }

  for (const event of SUN_EVENTS) {
    const sun = new SolarEventTrigger(event);
    for (const { at } of sun.upcoming(from, until, system.place)) {
      add(at, { kind: 'sun', title: sun.definition.phrase, trigger: sun.describe() });
    }
  }
  return found.sort((a, b) => a.ms - b.ms).map((entry) => entry.occurrence);
}
