/** CommandQueue: one command per thing at a time, in order, with waiting sets coalesced but never past an action. */
import { Command, CommandQueue } from '../../src/webthing/CommandQueue';

/** A sender whose commands finish only when the test says so. */
function manualSender(): {
  sent: string[];
  finish: (error?: Error) => void;
  send: (thingId: string, command: Command) => Promise<void>;
} {
  const sent: string[] = [];
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  return {
    sent,
    finish: (error) => {
      const p = pending.shift()!;
      if (error) p.reject(error);
      else p.resolve();
    },
    send: (thingId, command) => {
      sent.push(`${thingId}:${command.kind}:${command.name}=${JSON.stringify(command.value)}`);
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('different things are served side by side, one thing one command at a time', async () => {
  const s = manualSender();
  const queue = new CommandQueue(s.send);
  void queue.setProperty('a', 'on', true);
  void queue.setProperty('b', 'on', true);
  void queue.setProperty('a', 'level', 5);
  await tick();
  expect(s.sent).toEqual(['a:set:on=true', 'b:set:on=true']);
  s.finish();
  await tick();
  expect(s.sent).toEqual(['a:set:on=true', 'b:set:on=true', 'a:set:level=5']);
});

test('a waiting set is replaced by a newer one to the same property, which moves behind the others', async () => {
  const s = manualSender();
  const queue = new CommandQueue(s.send);
  const results: string[] = [];
  const track = (p: Promise<void>, name: string): void => void p.then(() => results.push(name));
  track(queue.setProperty('a', 'x', 1), 'x1');
  track(queue.setProperty('a', 'x', 2), 'x2');
  track(queue.setProperty('a', 'y', 1), 'y1');
  track(queue.setProperty('a', 'x', 3), 'x3');
  for (let i = 0; i < 3; i++) {
    await tick();
    s.finish();
  }
  await tick();
  expect(s.sent).toEqual(['a:set:x=1', 'a:set:y=1', 'a:set:x=3']);
  expect(results).toEqual(['x1', 'y1', 'x2', 'x3']);
});

test('a set never jumps over an action queued after the set it would replace', async () => {
  const s = manualSender();
  const queue = new CommandQueue(s.send);
  void queue.setProperty('a', 'level', 0);
  void queue.setProperty('a', 'level', 50);
  void queue.requestAction('a', 'fade', { to: 100 });
  void queue.setProperty('a', 'level', 10);
  for (let i = 0; i < 4; i++) {
    await tick();
    s.finish();
  }
  expect(s.sent).toEqual([
    'a:set:level=0',
    'a:set:level=50',
    'a:action:fade={"to":100}',
    'a:set:level=10',
  ]);
});

test('callers whose value was superseded share the fate of the value that replaced theirs', async () => {
  const s = manualSender();
  const queue = new CommandQueue(s.send);
  void queue.setProperty('a', 'x', 1);
  const superseded = queue.setProperty('a', 'x', 2);
  const latest = queue.setProperty('a', 'x', 3);
  await tick();
  s.finish();
  await tick();
  s.finish(new Error('HTTP 400'));
  await expect(superseded).rejects.toThrow('HTTP 400');
  await expect(latest).rejects.toThrow('HTTP 400');
});

test('clear() rejects what waits and leaves what is in flight to its request', async () => {
  const s = manualSender();
  const queue = new CommandQueue(s.send);
  const inFlight = queue.setProperty('a', 'x', 1);
  const waiting = queue.setProperty('a', 'y', 1);
  queue.clear((thingId, command) => new Error(`closed: ${thingId}.${command.name}`));
  await expect(waiting).rejects.toThrow('closed: a.y');
  s.finish();
  await expect(inFlight).resolves.toBeUndefined();
  expect(s.sent).toEqual(['a:set:x=1']);
});

test('a burst that comes back to the value just confirmed sends nothing more, and its callers resolve', async () => {
  const s = manualSender();
  const queue = new CommandQueue(s.send);
  const done = [true, false, true, false, true].map((on) => queue.setProperty('a', 'on', on));
  await tick();
  s.finish();
  await Promise.all(done);
  expect(s.sent).toEqual(['a:set:on=true']);
});

test('a repeat of the confirmed value is still sent when it waits behind another property', async () => {
  const s = manualSender();
  const queue = new CommandQueue(s.send);
  void queue.setProperty('a', 'on', true);
  void queue.setProperty('a', 'level', 5);
  void queue.setProperty('a', 'on', true);
  for (let i = 0; i < 3; i++) {
    await tick();
    if (s.sent.length > i) s.finish();
  }
  expect(s.sent).toEqual(['a:set:on=true', 'a:set:level=5', 'a:set:on=true']);
});
