/** Makes the simulated home lively for `npm start`: buttons get pressed and motion comes and goes, on a Clock. */
import { Cancel, Clock, parseDuration } from '../clock';
import { SimulatedHome } from './SimulatedHome';

export interface DemoOptions {
  /** How often a button is pressed (Button 1 and Button 2 take turns); default "20s". */
  pressEvery?: string | number;
  /** How often motion is detected; default "45s". */
  motionEvery?: string | number;
  /** How long motion lasts once detected; default "10s". */
  motionLasts?: string | number;
  /** Told of each thing the demo does, in words. */
  log?: (line: string) => void;
}

export class Demo {
  // timer name ("press", "motion", "still") -> its cancel
  private readonly timers = new Map<string, Cancel>();
  private presses = 0;

  constructor(
    private readonly home: SimulatedHome,
    private readonly clock: Clock,
    private readonly options: DemoOptions = {}
  ) {}

  start(): void {
    this.stop();
    this.schedule('press', this.options.pressEvery ?? '20s', () => this.press());
    this.schedule('motion', this.options.motionEvery ?? '45s', () => this.motion());
  }

  /** Cancels every pending timer; calling it twice is harmless. */
  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private schedule(name: string, every: string | number, fn: () => void): void {
    this.timers.set(
      name,
      this.clock.after(parseDuration(every), () => {
        this.schedule(name, every, fn);
        // A thing changed by hand (a button without `pressed`) must not end the demo or the process.
        try {
          fn();
        } catch (error) {
          this.options.log?.(`demo: ${(error as Error).message}`);
        }
      })
    );
  }

  private press(): void {
    const title = this.presses++ % 2 === 0 ? 'Button 1' : 'Button 2';
    // Things may have been removed by a test or a person; the demo keeps going with what is there.
    if (!this.home.find(title)) return;
    this.home.press(title);
    this.options.log?.(`demo: pressed ${title}`);
  }

  private motion(): void {
    const sensor = this.home.find('Motion Sensor');
    if (!sensor) return;
    this.home.setProperty(sensor, 'motion', true);
    this.options.log?.('demo: Motion Sensor detects motion');
    this.timers.get('still')?.();
    this.timers.set(
      'still',
      this.clock.after(parseDuration(this.options.motionLasts ?? '10s'), () => {
        this.timers.delete('still');
        if (!this.home.has(sensor)) return;
        this.home.setProperty(sensor, 'motion', false);
        this.options.log?.('demo: Motion Sensor sees no more motion');
      })
    );
  }
}
