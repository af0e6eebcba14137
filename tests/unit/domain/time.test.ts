import { boundaryToUtc, inZone, isValidTimeZone } from '../../../functions/domain/time';

describe('boundaryToUtc', () => {
  it('reads a date in the community time zone, from its start to its end inclusive', () => {
    expect(boundaryToUtc('2026-12-01', 'Asia/Shanghai', 'start')).toBe('2026-11-30T16:00:00.000Z');
    expect(boundaryToUtc('2026-12-01', 'Asia/Shanghai', 'end')).toBe('2026-12-01T15:59:59.999Z');
  });

  it('follows daylight saving time where the zone has it', () => {
    expect(boundaryToUtc('2026-07-01', 'Europe/London', 'start')).toBe('2026-06-30T23:00:00.000Z');
    expect(boundaryToUtc('2026-12-01', 'Europe/London', 'start')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('takes an instant as it is', () => {
    expect(boundaryToUtc('2026-12-01T19:30:00+08:00', 'Europe/London', 'start')).toBe('2026-12-01T11:30:00.000Z');
  });
});

describe('inZone', () => {
  it('formats an instant with the zone offset', () => {
    expect(inZone('2026-12-01T11:30:00.000Z', 'Asia/Shanghai')).toBe('2026-12-01T19:30:00+08:00');
  });
});

describe('isValidTimeZone', () => {
  it.each([['Asia/Shanghai', true], ['Europe/London', true], ['Mars/Olympus', false], ['', false]])('%s → %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});
