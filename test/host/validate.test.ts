/** RuleThing writes are checked like gateway-addon's Property.setValue, with messages that say why. */
import { describeForm, problemWith, rejection, TIME_OF_DAY_PATTERN } from '../../src/host/validate';

describe('problemWith', () => {
  it('accepts "06:30" and refuses "25:99" as a time of day', () => {
    const rules = { type: 'string' as const, pattern: TIME_OF_DAY_PATTERN };
    expect(problemWith(rules, '06:30')).toBeNull();
    expect(problemWith(rules, '25:99')).toBe('is not a time of day as HH:MM, 00:00 to 23:59');
  });

  it('refuses writes to a read-only property', () => {
    expect(problemWith({ type: 'string', readOnly: true }, 'ok')).toBe('is read-only');
  });

  it('checks range, whole numbers and steps', () => {
    const rules = { type: 'integer' as const, minimum: 0, maximum: 100 };
    expect(problemWith(rules, 50)).toBeNull();
    expect(problemWith(rules, -1)).toBe(
      'is below the minimum 0 (allowed: a whole number from 0 to 100)'
    );
    expect(problemWith(rules, 2.5)).toBe('is not a whole number from 0 to 100');
    expect(problemWith({ type: 'number', multipleOf: 0.5 }, 0.3)).toBe(
      'is not a number in steps of 0.5'
    );
    expect(problemWith({ type: 'number', multipleOf: 0.1 }, 0.3)).toBeNull();
  });

  it('checks type and enum', () => {
    expect(problemWith({ type: 'boolean' }, 'true')).toBe('is not true or false');
    expect(problemWith({ type: 'string', enum: ['a', 'b'] }, 'c')).toBe('is not one of "a", "b"');
  });
});

describe('rejection', () => {
  it('names the thing, property, value and what stays', () => {
    expect(rejection('Morning Wake', 'alarmTime', '25:99', '06:30', 'is not HH:MM')).toBe(
      'Refused: Morning Wake alarmTime "25:99" is not HH:MM; it stays "06:30"'
    );
  });

  it('cuts a long value short', () => {
    expect(rejection('T', 'p', 'x'.repeat(100), undefined, 'is bad')).toMatch(
      /^Refused: T p "x+\.\.\. is bad$/
    );
  });
});

describe('describeForm', () => {
  it('says a range in words', () => {
    expect(describeForm({ type: 'number', minimum: 1 })).toBe('a number of at least 1');
  });
});
