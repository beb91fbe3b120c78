/**
 * How a thing setting appears on a RuleThing: the gateway's thing page draws a property with an
 * `enum` as a drop-down that shows and writes the enum's values, so the property holds the
 * chosen thing's title while the engine keeps its id; these map one to the other.
 */
import type { ThingSettingInfo } from '../engine/messages';

/** The drop-down's entries: title → thing id; a title two things share is told apart by id. */
export function pickerEntries(info: ThingSettingInfo): Map<string, string> {
  const count = new Map<string, number>();
  for (const { title } of info.choices) count.set(title, (count.get(title) ?? 0) + 1);
  const entries = new Map<string, string>();
  for (const { id, title } of info.choices)
    entries.set(count.get(title)! > 1 ? `${title} (${id})` : title, id);
  return entries;
}

/** The property's value: the chosen thing's entry, its last known title once it is gone, or "" for none. */
export function pickerValue(info: ThingSettingInfo): string {
  const chosen = info.chosen;
  if (!chosen) return '';
  for (const [entry, id] of pickerEntries(info)) if (id === chosen.id) return entry;
  return chosen.title;
}

/** The thing id a written entry stands for; undefined when it is none of the entries. */
export function pickedId(info: ThingSettingInfo, entry: string): string | undefined {
  return pickerEntries(info).get(entry);
}
