/** Rule titles and ids from class and file names, in any language. */
import { ruleId, ruleTitle, slugify } from '../../src/engine/ruleNaming';

describe('rule naming', () => {
  it('makes ASCII ids from ASCII names as before', () => {
    expect(slugify('MorningWakeRule')).toBe('morning-wake-rule');
    expect(slugify('wake/morning.ts')).toBe('wake-morning-ts');
    expect(slugify('HUE01Leads_2')).toBe('hue01-leads-2');
    expect(ruleId('bonded.ts', 'BondedBulbsRule')).toBe('bonded-bonded-bulbs');
  });

  it('drops accents and writes other scripts as IDNA, so every name has an id of its own', () => {
    expect(slugify('Küchenlicht')).toBe('kuchenlicht');
    expect(slugify('Ku\u0308chenlicht')).toBe('kuchenlicht');
    expect(slugify('Кухня')).toBe('xn--j1agri5c');
    expect(slugify('Спальня')).not.toBe(slugify('Кухня'));
    expect(slugify('浴室 2')).toBe('xn--wbt772b-2');
    // IDNA refuses a right-to-left word followed by Latin letters: its code points then.
    expect(slugify('אa')).toBe('5d0-61');
    expect(ruleId('кухня.ts', 'КухняRule')).toBe('xn--j1agri5c');
    expect(ruleId('küche.ts', 'KücheRule')).toBe('kuche');
  });

  it('splits titles at the humps of any script', () => {
    expect(ruleTitle('MorningWakeRule')).toBe('Morning Wake');
    expect(ruleTitle('HUE01LeadsRule')).toBe('HUE01 Leads');
    expect(ruleTitle('KüchenLichtRule')).toBe('Küchen Licht');
    expect(ruleTitle('КухняСветRule')).toBe('Кухня Свет');
  });
});
