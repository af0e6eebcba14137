import fc from 'fast-check';
import { CATEGORY_NAMES_ZH, HELP_CATEGORIES } from '../../../functions/domain/glossary';
import { digests, messages } from '../../../functions/domain/messages';

const C = '幸福邻里';
const TITLE = '与邻相约·多彩邻里节';
// 09:00 on 20 December in Shanghai; 03:30 in Berlin the morning the clocks go forward.
const SHANGHAI = ['2026-12-20T01:00:00.000Z', 'Asia/Shanghai', '12月20日 09:00', '20 Dec 09:00'] as const;
const BERLIN = ['2027-03-28T01:30:00.000Z', 'Europe/Berlin', '3月28日 03:30', '28 Mar 03:30'] as const;

describe('messages', () => {
  it.each([SHANGHAI, BERLIN])('name the community, the event and its time on the local clock, in Chinese then English (%s)', (startsAt, tz, zh, en) => {
    const { subject, body } = messages.eventCancelled(C, TITLE, startsAt, tz);
    expect(subject).toBe(`【${C}】活动取消 Event cancelled`);
    expect(body).toBe(`【${C}】很抱歉，「${TITLE}」（${zh}）已取消。 Sorry: "${TITLE}" on ${en} is cancelled.`);
    expect(body.indexOf(zh)).toBeLessThan(body.indexOf(en));
  });

  it('tell residents a cancelled evening of the help desk and ask them to book another', () => {
    const { subject, body } = messages.slotCancelled(C, SHANGHAI[0], SHANGHAI[1]);
    expect(subject).toContain('延时服务取消');
    expect(body).toContain('12月20日 09:00 的每晚一小时延时服务已取消');
    expect(body).toContain('The help desk on 20 Dec 09:00 is cancelled; please book another evening.');
  });

  it('tell a waitlisted resident they now have a place', () => {
    const { subject, body } = messages.promoted(C, TITLE, SHANGHAI[0], SHANGHAI[1]);
    expect(subject).toBe(`【${C}】候补成功 You have a place`);
    expect(body).toContain(`已从候补转为报名成功「${TITLE}」12月20日 09:00`);
    expect(body).toContain(`you now have a place at "${TITLE}" on 20 Dec 09:00`);
  });

  it('count the volunteers still staffing a shift when one gives it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }).chain((needed) => fc.tuple(fc.constant(needed), fc.integer({ min: 1, max: needed }))), ([needed, left]) => {
        const { body } = messages.coverageAlert(C, '陈师傅', TITLE, SHANGHAI[0], SHANGHAI[1], left, needed);
        expect(body).toContain(`现有 ${needed - left}/${needed} 人`);
        expect(body).toContain(`${needed - left}/${needed} staffed`);
        expect(body).toContain('陈师傅');
      }),
    );
  });
});

describe('digests.event', () => {
  it('gives seats, waitlist and volunteers, and says understaffed exactly when volunteers are short', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.integer({ min: 1, max: 50 }), fc.nat(20), fc.nat(10), fc.nat(10), (confirmedSeats, capacity, waitlistLength, volunteersStaffed, volunteerCapacity) => {
        const { subject, body } = digests.event({ community: C, title: TITLE, startsAt: SHANGHAI[0], timezone: SHANGHAI[1], confirmedSeats, capacity, waitlistLength, volunteersStaffed, volunteerCapacity });
        const short = volunteersStaffed < volunteerCapacity;
        expect(subject).toBe(`【${C}】活动提醒 Event reminder`);
        expect(body).toContain(`报名 ${confirmedSeats}/${capacity}，候补 ${waitlistLength}，志愿者 ${volunteersStaffed}/${volunteerCapacity}`);
        expect(body).toContain(`${confirmedSeats}/${capacity} seats, ${waitlistLength} waiting, volunteers ${volunteersStaffed}/${volunteerCapacity}`);
        expect(body.includes('（缺人）')).toBe(short);
        expect(body.includes('(understaffed)')).toBe(short);
      }),
    );
  });
});

describe('digests.slot', () => {
  const names = fc.uniqueArray(fc.constantFrom('陈师傅', '王阿姨', '李', '赵'), { maxLength: 4 });
  const requests = fc.dictionary(fc.constantFrom(...HELP_CATEGORIES), fc.integer({ min: 1, max: 9 }), { maxKeys: 4 });

  it('warns first and in the subject exactly when fewer volunteers are on duty than the evening needs', () => {
    fc.assert(
      fc.property(names, fc.nat(5), requests, (volunteerNames, volunteerCapacity, requestsByCategory) => {
        const { subject, body } = digests.slot({ community: C, startsAt: SHANGHAI[0], timezone: SHANGHAI[1], volunteerNames, volunteerCapacity, requestsByCategory });
        const short = volunteerNames.length < volunteerCapacity;
        expect(subject.includes('⚠缺人') && subject.includes('UNDERSTAFFED')).toBe(short);
        expect(body.startsWith(`⚠缺人 ${volunteerNames.length}/${volunteerCapacity}！`)).toBe(short);
        expect(body.includes(`UNDERSTAFFED ${volunteerNames.length}/${volunteerCapacity}!`)).toBe(short);
        for (const name of volunteerNames) expect(body).toContain(name);
        for (const [category, count] of Object.entries(requestsByCategory)) {
          expect(body).toContain(`${CATEGORY_NAMES_ZH[category as keyof typeof CATEGORY_NAMES_ZH]}${count}`);
          expect(body).toContain(`${category.replaceAll('_', ' ')} ${count}`);
        }
      }),
    );
  });

  it('says plainly when nobody is on duty and nothing was asked for', () => {
    const { subject, body } = digests.slot({ community: C, startsAt: SHANGHAI[0], timezone: SHANGHAI[1], volunteerNames: [], volunteerCapacity: 2, requestsByCategory: {} });
    expect(subject).toBe(`【${C}】⚠缺人 延时服务提醒 Help desk UNDERSTAFFED`);
    expect(body).toBe(`⚠缺人 0/2！【${C}】12月20日 09:00 延时服务：值班 无人；预约 无。 UNDERSTAFFED 0/2! Help desk 20 Dec 09:00: on duty nobody; requests none.`);
  });

  it('names who is on duty and what residents asked for, in the order given', () => {
    const { subject, body } = digests.slot({
      community: C,
      startsAt: BERLIN[0],
      timezone: BERLIN[1],
      volunteerNames: ['陈师傅', '王阿姨'],
      volunteerCapacity: 2,
      requestsByCategory: { appliance_repair: 2, pipe_unclogging: 1 },
    });
    expect(subject).toBe(`【${C}】延时服务提醒 Help desk`);
    expect(body).toBe(
      `【${C}】3月28日 03:30 延时服务：值班 陈师傅、王阿姨；预约 家电维修2、管道疏通1。 Help desk 28 Mar 03:30: on duty 陈师傅, 王阿姨; requests appliance repair 2, pipe unclogging 1.`,
    );
  });
});

describe('digests.shift', () => {
  it("reminds a volunteer where and when, on the community's clock", () => {
    const { subject, body } = digests.shift(C, '每晚一小时延时服务 Evening help desk', '幸福邻里 community room', BERLIN[0], BERLIN[1]);
    expect(subject).toBe(`【${C}】值班提醒 Shift reminder`);
    expect(body).toBe(`【${C}】提醒：您 3月28日 03:30 在 幸福邻里 community room 值班（每晚一小时延时服务 Evening help desk）。 Reminder: your shift at 28 Mar 03:30, 幸福邻里 community room.`);
  });
});
