/**
 * The reliability tests' shared set-up: the simulated gateway on 127.0.0.1 (port 0), the Web Thing
 * client and a rule system on one virtual clock, and every line they log, which tests wait on.
 */
import { VirtualClock } from '../../src/clock';
import type { GatewayEvents } from '../../src/protocol/gateway';
import type { FiringRecord, RuleInfo } from '../../src/engine/messages';
import type { RuleSource } from '../../src/engine/ruleEntry';
import { AddRuleOptions, RuleSystem, RuleSystemOptions } from '../../src/engine/RuleSystem';
import { seedHome, SimulatedHome, SimulatorServer } from '../../src/simulator';
import { WebThingClient, WebThingClientOptions } from '../../src/webthing';
import { nextEvent } from '../webthing/nextEvent';

/** The token of every reliability test; the secrets test greps a whole run's output for it. */
export const TOKEN = 'rel1ability.T0ken-c7e2f9.s3cr3t-4b1d';

export const BERLIN = { latitude: 52.52, longitude: 13.405 };

/** Set by the secrets test: every line logged, every status and every error goes to the console. */
export const ECHO = process.env.RULE_THINGS_ECHO === '1';

/** Lines logged so far, which a test can wait on in order. */
export class Lines {
  readonly all: string[] = [];
  private cursor = 0;
  private readonly waiters = new Set<() => void>();
  // after the test, late lines (a read aborted by close) are kept but no longer echoed
  private closed = false;

  push(line: string): void {
    this.all.push(line);
    if (ECHO && !this.closed) console.log(line);
    for (const wake of [...this.waiters]) wake();
  }

  /** The next line after the last one taken that matches `pattern`, waiting for it if need be. */
  take(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const look = (): boolean => {
        for (let i = this.cursor; i < this.all.length; i++) {
          const match = pattern.exec(this.all[i]);
          if (!match) continue;
          this.cursor = i + 1;
          this.waiters.delete(look);
          clearTimeout(timer);
          resolve(match);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(look);
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!look()) this.waiters.add(look);
    });
  }

  close(): void {
    this.closed = true;
  }

  count(pattern: RegExp): number {
    return this.all.filter((line) => pattern.test(line)).length;
  }
}

export interface Stack {
  clock: VirtualClock;
  server: SimulatorServer;
  home: SimulatedHome;
  client: WebThingClient;
  system: RuleSystem;
  lines: Lines;
  fired: FiringRecord[];
  /** Resolves once rule `id` shows what `test` wants (at once if it does already). */
  until(id: string, test: (rule: RuleInfo) => boolean, timeoutMs?: number): Promise<RuleInfo>;
  /** Resolves with the next gateway event `name` whose payload passes `test`. */
  next<K extends keyof GatewayEvents>(
    name: K,
    test?: (payload: GatewayEvents[K]) => boolean
  ): Promise<GatewayEvents[K]>;
  /** Stops the gateway and waits until the client schedules its first reconnect attempt. */
  stopGateway(): Promise<void>;
  /**
   * Keeps the gateway down while the clock moves at least `ms` on, one reconnect attempt after the
   * other (each fails for real on the closed port); returns the backoff delays waited.
   */
  keepDown(ms: number): Promise<number[]>;
  /** Starts the gateway again on the same port and waits until the client is connected. */
  startGateway(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Local time in Europe/Berlin the virtual clock starts at. */
  start?: string;
  rules?: (RuleSource | [RuleSource, AddRuleOptions])[];
  system?: Partial<RuleSystemOptions>;
  client?: Partial<WebThingClientOptions>;
  home?: SimulatedHome;
  /** Called before the rules start, as a host wires the system's events. */
  wire?: (system: RuleSystem) => void;
}

/** Starts the simulator, the client and the rules, and waits until the rules run. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = new VirtualClock(options.start ?? '2027-06-14T08:00', 'Europe/Berlin');
  const lines = new Lines();
  const home = options.home ?? seedHome(clock);
  const server = new SimulatorServer({ token: TOKEN, home, log: (l) => lines.push(l) });
  await server.start();
  const client = new WebThingClient({
    gatewayUrl: server.url,
    token: TOKEN,
    clock,
    logger: (level, message) => lines.push(`client ${level}: ${message}`),
    // No idle check on the virtual clock: it pings after 45 s of *virtual* silence and gives up
    // 45 s later, but the pong comes back in real time, so an advance of hours (thousands of idle
    // periods run in milliseconds) would close a healthy socket and keep the client down, holding
    // every alarm due meanwhile. A stopped gateway is seen as its sockets close; the idle check
    // itself is covered on the real clock by test/webthing/WebThingClient.test.ts.
    idleTimeoutMs: 0,
    ...options.client,
  });
  const system = new RuleSystem({
    gateway: client,
    clock,
    place: BERLIN,
    log: (level, message) => lines.push(`engine ${level}: ${message}`),
    ...options.system,
  });
  const fired: FiringRecord[] = [];
  system.on('fired', (record) => fired.push(record));
  system.on('ruleChanged', (rule) => {
    if (ECHO) console.log(`status of ${rule.id}: ${rule.status}`);
  });
  options.wire?.(system);
  for (const rule of options.rules ?? []) {
    if (Array.isArray(rule)) system.addRule(rule[0], rule[1]);
    else system.addRule(rule);
  }
  await system.start();
  await clock.advance(0);

  const until = (id: string, test: (rule: RuleInfo) => boolean, timeoutMs = 10_000) =>
    new Promise<RuleInfo>((resolve, reject) => {
      const now = system.rule(id);
      if (now && test(now)) return resolve(now);
      const timer = setTimeout(() => {
        cancel();
        reject(
          new Error(
            `rule ${id} did not reach the state wanted; it is ${JSON.stringify(system.rule(id))}`
          )
        );
      }, timeoutMs);
      const cancel = system.on('ruleChanged', (rule) => {
        if (rule.id !== id || !test(rule)) return;
        clearTimeout(timer);
        cancel();
        resolve(rule);
      });
    });

  const next = <K extends keyof GatewayEvents>(
    name: K,
    test?: (payload: GatewayEvents[K]) => boolean
  ) => nextEvent(client, name, test);

  const retry = /reconnecting to the gateway in (\d+) ms/;
  let port = server.port;
  let nextDelay = 0;

  return {
    clock,
    server,
    home,
    client,
    system,
    lines,
    fired,
    until,
    next,
    stopGateway: async () => {
      port = server.port;
      await server.stop();
      nextDelay = Number((await lines.take(retry))[1]);
    },
    keepDown: async (ms) => {
      const delays: number[] = [];
      const end = clock.nowMs() + ms;
      while (clock.nowMs() < end) {
        delays.push(nextDelay);
        await clock.advance(`${nextDelay}ms`);
        nextDelay = Number((await lines.take(retry))[1]);
      }
      return delays;
    },
    startGateway: async () => {
      await server.start(port);
      const up = next('connection', (c) => c.state === 'up');
      await clock.advance(`${nextDelay}ms`);
      await up;
      await clock.advance(0);
    },
    stop: async () => {
      await system.stop();
      await client.close();
      await server.stop();
      lines.close();
    },
  };
}
