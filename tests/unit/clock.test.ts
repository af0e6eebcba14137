import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as clock from '../../functions/clock';

const ROOT = resolve(__dirname, '../..');
/** The instant of this run's fixed-instant project (jest.config.js), if it is one. */
const projectInstant = (globalThis as { LINLI_NOW?: string }).LINLI_NOW;

afterEach(() => clock.setClock(projectInstant));

describe('the clock', () => {
  it('starts at the instant it is set to and runs on at the real rate', async () => {
    clock.setClock('2026-12-31T23:59:59.900+08:00');
    const first = clock.nowMs();
    expect(first).toBeGreaterThanOrEqual(Date.parse('2026-12-31T15:59:59.900Z'));
    expect(first).toBeLessThan(Date.parse('2026-12-31T16:00:00.900Z'));
    await new Promise((resolveWait) => setTimeout(resolveWait, 150));
    expect(clock.nowMs()).toBeGreaterThanOrEqual(Date.parse('2027-01-01T00:00:00+08:00'));
  });

  it('goes back to the system clock when unset', () => {
    clock.setClock(undefined);
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(50);
    expect(clock.clockOffsetMs()).toBe(0);
  });

  it('refuses an instant it cannot read', () => {
    expect(() => clock.setClock('the first of next month')).toThrow(/RFC 3339/);
  });

  it("is at this run's fixed instant, when the run has one", () => {
    if (!projectInstant) return expect(clock.clockOffsetMs()).toBe(0);
    expect(Math.abs(clock.nowMs() - Date.parse(projectInstant))).toBeLessThan(5 * 60_000);
  });
});

/** Every .ts file under `dir`, as a path from the project's root. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(ROOT, dir, name);
    if (statSync(path).isDirectory()) return sources(relative(ROOT, path));
    return name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('who asks the time', () => {
  it('the services, jobs, local runtime and tests read functions/clock.ts, never the system clock directly', () => {
    const direct = /\bDate\.now\(\)|new Date\(\)|DateTime\.(now|local)\(\)/;
    const offenders = ['functions', 'local', 'bin', 'tests']
      .flatMap(sources)
      .filter((file) => file !== 'functions/clock.ts' && file !== 'tests/unit/clock.test.ts')
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .map((line, index) => ({ line, at: `${file}:${index + 1}` }))
          .filter(({ line }) => direct.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
