/** The drop-down of a thing setting: entries by title, told apart by id where titles repeat. */
import { pickedId, pickerEntries, pickerValue } from '../../src/host/thingPicker';
import type { ThingSettingInfo } from '../../src/engine/messages';

const info: ThingSettingInfo = {
  filter: { property: 'on' },
  choices: [
    { id: 'lamp-1', title: 'Lamp' },
    { id: 'porch', title: 'Porch Light' },
    { id: 'lamp-2', title: 'Lamp' },
  ],
  chosen: { id: 'lamp-2', title: 'Lamp' },
};

describe('a thing picker', () => {
  it('lists each thing by title, adding the id where two share one', () => {
    expect([...pickerEntries(info).keys()]).toEqual([
      'Lamp (lamp-1)',
      'Porch Light',
      'Lamp (lamp-2)',
    ]);
  });

  it('shows the chosen thing’s entry and maps an entry back to its id', () => {
    expect(pickerValue(info)).toBe('Lamp (lamp-2)');
    expect(pickedId(info, 'Porch Light')).toBe('porch');
    expect(pickedId(info, 'Lamp')).toBeUndefined();
  });

  it('shows nothing until chosen, and the last known title of a thing that is gone', () => {
    expect(pickerValue({ ...info, chosen: undefined })).toBe('');
    expect(pickerValue({ ...info, chosen: { id: 'old', title: 'Old Lamp' } })).toBe('Old Lamp');
  });
});
