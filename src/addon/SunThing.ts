/**
 * The built-in Sun thing: `daylight`, `night`, `elevation`, `azimuth`, `nextEvent` and the events
 * dawn, sunrise, goldenHour, sunset, dusk and blueHour, so the gateway's own GUI rules gain the
 * dusk and dawn that its clock trigger cannot express. Updated every minute and at each event.
 */
import { Adapter, Event } from 'gateway-addon';
import type { Cancel, Clock } from '../clock';
import type { JsonValue } from '../protocol/gateway';
import { SUN_THING_ID } from '../engine/names';
import { RuleProperty } from './RuleProperty';
import { DAYLIGHT_DEGREES, NIGHT_DEGREES, SunEventName, SunModel } from './SunModel';
import { SavedDevice, SavedDevices } from './SavedDevice';

export const SUN_DEVICE_ID = SUN_THING_ID;

const MINUTE_MS = 60_000;

const EVENTS: Record<SunEventName, string> = {
  dawn: 'Civil dawn: the sun rises through 6° below the horizon',
  sunrise: 'Sunrise: the sun’s upper edge appears (centre at −0.833°)',
  goldenHour: 'A golden hour begins (morning: −4° rising; evening: 6° setting); data says which',
  sunset: 'Sunset: the sun’s upper edge disappears (centre at −0.833°)',
  dusk: 'Civil dusk: the sun sets through 6° below the horizon',
  blueHour: 'A blue hour begins (morning: −6° rising; evening: −4° setting); data says which',
};

export class SunThing extends SavedDevice {
  private cancelTick?: Cancel;
  private cancelEvent?: Cancel;
  private model: SunModel | null = null;

  constructor(
    adapter: Adapter & SavedDevices,
    private readonly clock: Clock
  ) {
    super(adapter, SUN_DEVICE_ID);
    this.setTitle('Sun');
    this.setTypes(['BinarySensor']);
    this.setDescription('Where the sun is for the place in Rule Things’ settings');
    const add = (
      name: string,
      title: string,
      type: 'boolean' | 'number' | 'string',
      description: string,
      initial: JsonValue,
      extra: { '@type'?: string; unit?: string } = {}
    ) =>
      this.addProperty(
        new RuleProperty(
          this,
          name,
          { title, type, description, readOnly: true, ...extra },
          initial
        )
      );
    add('daylight', 'Daylight', 'boolean', 'On between sunrise and sunset', false, {
      '@type': 'BooleanProperty',
    });
    add('night', 'Night', 'boolean', 'On between civil dusk and civil dawn (sun below −6°)', false);
    add('elevation', 'Elevation', 'number', 'Degrees above the horizon', 0, { unit: 'degree' });
    add('azimuth', 'Azimuth', 'number', 'Degrees clockwise from north', 0, { unit: 'degree' });
    add('nextEvent', 'Next event', 'string', 'The next solar event and its local time', '');
    add('status', 'Status', 'string', '"ok", or why the sun is not known', 'starting');
    for (const [name, description] of Object.entries(EVENTS)) {
      this.addEvent(name, { title: titleOf(name), description, data: { type: 'string' } });
    }
  }

  /** Starts following the sun as seen by `model`; null (no place configured) shows `reason`. */
  start(model: SunModel | null, reason = ''): void {
    this.stop();
    this.model = model;
    if (!model) {
      this.set('status', reason || 'set latitude and longitude in Rule Things’ settings');
      this.set('nextEvent', '');
      return;
    }
    this.set('status', 'ok');
    this.tick();
    this.planNextEvent();
  }

  stop(): void {
    this.cancelTick?.();
    this.cancelEvent?.();
    this.cancelTick = this.cancelEvent = undefined;
  }

  /** Recomputes the position, then again on the next whole minute. */
  private tick(): void {
    this.showPosition();
    const now = this.clock.nowMs();
    this.cancelTick = this.clock.at(now - (now % MINUTE_MS) + MINUTE_MS, () => this.tick());
  }

  private showPosition(): void {
    const model = this.model;
    if (!model) return;
    const { elevation, azimuth } = model.position(this.clock.nowMs());
    this.set('elevation', Math.round(elevation * 10) / 10);
    this.set('azimuth', Math.round(azimuth * 10) / 10);
    this.set('daylight', elevation > DAYLIGHT_DEGREES);
    this.set('night', elevation < NIGHT_DEGREES);
  }

  /** Arms the next event; with none within a year (polar day or night at the poles) looks again daily. */
  private planNextEvent(): void {
    const model = this.model;
    if (!model) return;
    const now = this.clock.nowMs();
    const due = model.next(now);
    if (due.length === 0) {
      this.set('nextEvent', 'none within a year');
      this.cancelEvent = this.clock.after(24 * 60 * MINUTE_MS, () => this.planNextEvent());
      return;
    }
    const at = this.clock.now().plus({ milliseconds: due[0].ms - now });
    const names = due.map((e) => titleOf(e.name)).join(' and ');
    this.set(
      'nextEvent',
      `${names} at ${at.toFormat(at.hasSame(this.clock.now(), 'day') ? 'HH:mm' : 'ccc HH:mm')}`
    );
    this.cancelEvent = this.clock.at(due[0].ms, () => {
      this.showPosition();
      for (const event of due) this.eventNotify(new Event(this, event.name, event.part));
      this.planNextEvent();
    });
  }

  private set(name: string, value: JsonValue): void {
    (this.findProperty(name) as RuleProperty | undefined)?.update(value);
  }
}

/** "goldenHour" → "Golden hour". */
function titleOf(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
