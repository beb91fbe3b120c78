/**
 * Issue 13: a rule's faults stay that rule's. Each careless rule is a real rule file run by the
 * real engine thread beside a healthy rule: the engine survives, the culprit is named with file
 * and line, and after three faults within ten minutes it is switched off and saved so.
 */
import { EngineThread, HEALTHY, startEngineThread } from './engineThread';

const SLOW = 60_000;
const HEALTHY_ID = 'healthy';

let t: EngineThread | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** Waits until rule `id` is switched off for its faults, and its saved state says so. */
async function switchedOff(id: string): Promise<string> {
  const off = await t!.waitFor((m) => m.type === 'switchedOff' && m.ruleId === id, SLOW);
  for (let i = 0; i < 100 && t!.savedEnabled(id) !== false; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(t!.savedEnabled(id)).toBe(false);
  return off.type === 'switchedOff' ? off.reason : '';
}

/** The healthy rule still fires: `n` more firings after now. */
async function healthyFires(n: number): Promise<void> {
  const target = t!.firings(HEALTHY_ID) + n;
  await t!.waitFor(() => t!.firings(HEALTHY_ID) >= target, SLOW);
}

const ruleFile = (body: string) => `import { HeartBeat, Rule } from 'rule-things';
export default class CarelessRule extends Rule {
  triggers() { return [new HeartBeat('300ms')]; }
${body}
}
`;

test('an unawaited set() of a property the thing lacks is charged to its rule, with file and line, and the third switches it off', async () => {
  t = await startEngineThread({
    'healthy.ts': HEALTHY('200ms'),
    'careless.ts': ruleFile(`  action() {
    this.thing('Kettle').set('noSuchProperty', true);
  }`),
  });
  const reason = await switchedOff('careless');
  expect(reason).toMatch(
    /^switched off after 3 faults within 10 minutes; the last: unhandled promise rejection in code started by action\(\): Unknown property: "Kettle" has no property "noSuchProperty".* \(careless\.ts:5\)$/
  );
  expect(t.rule('careless')).toMatchObject({ enabled: false, status: reason });
  expect(t.messages.some((m) => m.type === 'log' && /engine stopped/.test(m.message))).toBe(false);
  await healthyFires(3);
}, 90_000);
