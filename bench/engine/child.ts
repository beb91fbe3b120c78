/**
 * The engine side of a scenario, in its own process as the add-on's engine is: a WebThingClient
 * and a RuleSystem of generated rules, told over IPC when to count and what to report.
 */
import { performance } from 'perf_hooks';
import { RealClock } from '../../src/clock';
import { RuleSystem } from '../../src/engine/RuleSystem';
import { WebThingClient } from '../../src/webthing';
import { ruleClass } from './benchRules';
import type { EngineReport, FromEngine, RuleSpec, StartRequest, ToEngine } from './protocol';

// Peak RSS is sampled this often while counting.
const RSS_SAMPLE_MS = 50;

let system: RuleSystem | undefined;
let counting = false;
let actions = 0;
let cpuAtBegin = process.cpuUsage();
let wallAtBegin = performance.now();
let peakRss = 0;
let rssTimer: NodeJS.Timeout | undefined;
// performance.now() of the WebSocket message being dispatched (set before it is parsed)
let messageIn = 0;
// "thing id/property" -> stamps of the messages whose reaction will set it, oldest first
const waitingForPut = new Map<string, number[]>();
const shares: number[] = [];
const stamps: EngineReport['stamps'] = [];

function send(message: FromEngine): void {
  process.send?.(message);
}

function commandOut(thingId: string, name: string): void {
  const stamp = waitingForPut.get(`${thingId}/${name}`)?.shift();
  if (stamp === undefined || !counting) return;
  const now = performance.now();
  shares.push(now - stamp);
  const origin = performance.timeOrigin;
  stamps.push({ messageIn: origin + stamp, commandOut: origin + now });
}

function onAction(spec: RuleSpec, measureShare: boolean): void {
  if (counting) actions++;
  if (!measureShare) return;
  if (spec.kind === 'mirror') awaitPut(`${spec.to.thing}/${spec.to.property}`);
  if (spec.kind === 'fan') for (const thing of spec.to) awaitPut(`${thing}/${spec.property}`);
}

function awaitPut(key: string): void {
  let stamps = waitingForPut.get(key);
  if (!stamps) waitingForPut.set(key, (stamps = []));
  stamps.push(messageIn);
}

async function start(request: StartRequest): Promise<void> {
  const began = performance.now();
  const clock = new RealClock('UTC');
  const gateway = new WebThingClient({
    gatewayUrl: request.gatewayUrl,
    token: request.token,
    clock,
    connectAttempts: 1,
    commandChannel: request.commandChannel,
    logger: (level, message) => {
      if (level === 'error' || level === 'warn')
        process.stderr.write(`engine ${level}: ${message}\n`);
    },
    trace: request.measureShare
      ? { messageIn: () => (messageIn = performance.now()), commandOut }
      : undefined,
  });
  system = new RuleSystem({
    gateway,
    clock,
    place: { latitude: 52.52, longitude: 13.405 },
    // The rate limit pauses a rule firing more than 50 times in 10 s, as it should in a home;
    // these rules fire up to 10,000 times a second on purpose. The chain-depth guard stays on.
    loopGuard: { maxFiresPerWindow: 1e9 },
    log: (level, message) => {
      // Errors always show; BENCH_DEBUG=1 shows everything the engine says.
      if (level === 'error' || process.env.BENCH_DEBUG)
        process.stderr.write(`engine: ${message}\n`);
    },
  });
  for (const spec of request.rules) {
    system.addRule(
      ruleClass(spec, (s) => onAction(s, request.measureShare)),
      { id: spec.id }
    );
  }
  await system.start();
  const troubled = troubledRules();
  if (troubled.length > 0)
    throw new Error(`rules did not start: ${troubled.slice(0, 3).join('; ')}`);
  send({ type: 'started', startupMs: performance.now() - began });
}

function troubledRules(): string[] {
  return (system?.rules() ?? [])
    .filter((rule) => rule.status !== 'ok' || !rule.enabled)
    .map((rule) => `${rule.id}: ${rule.status}`);
}

// process.memoryUsage() at the peak RSS seen, to tell heap from buffers and code
let atPeak: NodeJS.MemoryUsage | undefined;

function sampleRss(): void {
  const rss = process.memoryUsage.rss();
  if (rss <= peakRss) return;
  peakRss = rss;
  if (process.env.BENCH_DEBUG) atPeak = process.memoryUsage();
}

function begin(): void {
  counting = true;
  actions = 0;
  shares.length = 0;
  stamps.length = 0;
  peakRss = 0;
  sampleRss();
  clearInterval(rssTimer);
  rssTimer = setInterval(sampleRss, RSS_SAMPLE_MS);
  cpuAtBegin = process.cpuUsage();
  wallAtBegin = performance.now();
}

function report(): EngineReport {
  sampleRss();
  if (atPeak) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = atPeak;
    process.stderr.write(
      `engine peak: rss ${mb(rss)}, heap ${mb(heapUsed)}/${mb(heapTotal)}, external ${mb(external)}, buffers ${mb(arrayBuffers)}\n`
    );
  }
  const cpu = process.cpuUsage(cpuAtBegin);
  const wallMs = performance.now() - wallAtBegin;
  return {
    actions,
    shares: [...shares],
    stamps: [...stamps],
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    peakRssMB: peakRss / 1024 / 1024,
    troubled: troubledRules(),
  };
}

async function stop(): Promise<void> {
  clearInterval(rssTimer);
  await system?.stop();
  process.send?.({ type: 'stopped' } satisfies FromEngine, () => process.exit(0));
}

async function handle(message: ToEngine): Promise<void> {
  switch (message.type) {
    case 'start':
      return start(message);
    case 'begin':
      begin();
      return send({ type: 'begun' });
    case 'report':
      return send({ type: 'report', report: report() });
    case 'stop':
      return stop();
  }
}

process.on('message', (message: ToEngine) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
});
