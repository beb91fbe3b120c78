/** The add-on's settings: each bad field named with its allowed form, and a safe fallback. */
import { parseSettings, DEFAULT_GATEWAY_URL } from '../../src/addon/Settings';

const DATA = '/home/pi/.webthings/data/rule-things';
const TOKEN = 'aaa.bbb.ccc';

function messages(raw: Record<string, unknown>): string[] {
  return parseSettings(raw, DATA).problems.map((p) => p.message);
}

describe('parseSettings', () => {
  it('gives the defaults for an empty form, and asks for a token and a place', () => {
    const { settings, problems } = parseSettings({}, DATA);
    expect(settings).toMatchObject({
      gatewayUrl: DEFAULT_GATEWAY_URL,
      accessToken: null,
      acceptSelfSigned: false,
      place: null,
      rulesFolder: `${DATA}/rules`,
      loopGuardRate: 1200,
      ruleCodeLimitSeconds: 2,
    });
    expect(problems.map((p) => p.field)).toEqual(['accessToken', 'latitude']);
    expect(problems[0].message).toContain('Settings → Developer → Create local authorization');
  });

  it('takes a complete, valid form as it is', () => {
    const { settings, problems } = parseSettings(
      {
        gatewayUrl: 'https://127.0.0.1:4443/',
        accessToken: ` ${TOKEN} `,
        acceptSelfSigned: true,
        timeZone: 'Europe/Berlin',
        latitude: '52.52',
        longitude: 13.4,
        rulesFolder: 'my-rules',
        loopGuardRate: 10,
        ruleCodeLimitSeconds: '5',
      },
      DATA
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      gatewayUrl: 'https://127.0.0.1:4443',
      accessToken: TOKEN,
      acceptSelfSigned: true,
      timeZone: 'Europe/Berlin',
      place: { latitude: 52.52, longitude: 13.4 },
      rulesFolder: `${DATA}/my-rules`,
      loopGuardRate: 10,
      ruleCodeLimitSeconds: 5,
    });
  });

  it('reads the old default loop guard rate of 60, which counted every firing, as the new default', () => {
    const rate = (raw: unknown) =>
      parseSettings({ accessToken: TOKEN, loopGuardRate: raw }, DATA).settings.loopGuardRate;
    expect(rate(60)).toBe(1200);
    expect(rate('60')).toBe(1200);
    expect(rate(61)).toBe(61);
  });

  it('names a latitude of 200 and the allowed range', () => {
    expect(messages({ accessToken: TOKEN, latitude: 200, longitude: 0 })).toEqual([
      'latitude 200 is not a number from -90 to 90 (degrees north; e.g. 52.52); solar events are off',
    ]);
  });

  it('names an unknown time zone and falls back to the system zone', () => {
    const { settings, problems } = parseSettings(
      { accessToken: TOKEN, timeZone: 'Europe/Atlantis' },
      DATA
    );
    expect(problems[0].message).toMatch(
      /^timeZone "Europe\/Atlantis" is not an IANA time zone \(e\.g\. "Europe\/Berlin"/
    );
    expect(settings.timeZone).not.toBe('Europe/Atlantis');
  });

  it('names a gateway URL that is not http(s) and uses the default', () => {
    const { settings, problems } = parseSettings(
      { accessToken: TOKEN, gatewayUrl: 'ftp://x' },
      DATA
    );
    expect(problems[0]).toMatchObject({ field: 'gatewayUrl', affects: 'none' });
    expect(settings.gatewayUrl).toBe(DEFAULT_GATEWAY_URL);
  });

  it('says a malformed token is wrong without repeating any of it', () => {
    const secret = 'not a token but secret words';
    const [message] = messages({ accessToken: secret, latitude: 1, longitude: 1 });
    expect(message).toContain('does not look like one');
    expect(message).not.toContain('secret');
  });

  it('names a loop guard rate that is not a positive number', () => {
    expect(messages({ accessToken: TOKEN, latitude: 1, longitude: 1, loopGuardRate: 0 })).toEqual([
      'loopGuardRate 0 is not a number of firings per minute from 1 to 100000; using 1200',
    ]);
  });

  it('names a rule-code limit outside 0.5 to 60 seconds and keeps 2 s', () => {
    const { settings, problems } = parseSettings(
      { accessToken: TOKEN, latitude: 1, longitude: 1, ruleCodeLimitSeconds: 0 },
      DATA
    );
    expect(problems.map((p) => p.message)).toEqual([
      'ruleCodeLimitSeconds 0 is not a number of seconds from 0.5 to 60; using 2',
    ]);
    expect(settings.ruleCodeLimitSeconds).toBe(2);
  });
});
