import { CATEGORY_NAMES_ZH, type HelpCategory } from './glossary';
import { englishTime, shortTime } from './notifications';

/**
 * The words of every message Linli sends: Chinese first, then English, short enough for an SMS.
 * Each also names its facts as `params`, which fill the registered SMS template of its kind where
 * a provider sends templates only (functions/delivery/sms/templates.ts).
 */
export const messages = {
  eventCancelled: (community: string, title: string, startsAt: string, tz: string) => ({
    subject: `【${community}】活动取消 Event cancelled`,
    body:
      `【${community}】很抱歉，「${title}」（${shortTime(startsAt, tz)}）已取消。` +
      ` Sorry: "${title}" on ${englishTime(startsAt, tz)} is cancelled.`,
    params: { community, title, time: shortTime(startsAt, tz) },
  }),
  slotCancelled: (community: string, startsAt: string, tz: string) => ({
    subject: `【${community}】延时服务取消 Help desk cancelled`,
    body:
      `【${community}】${shortTime(startsAt, tz)} 的每晚一小时延时服务已取消，请改约其他时间。` +
      ` The help desk on ${englishTime(startsAt, tz)} is cancelled; please book another evening.`,
    params: { community, time: shortTime(startsAt, tz) },
  }),
  promoted: (community: string, title: string, startsAt: string, tz: string) => ({
    subject: `【${community}】候补成功 You have a place`,
    body:
      `【${community}】好消息：您已从候补转为报名成功「${title}」${shortTime(startsAt, tz)}。` +
      ` Good news: you now have a place at "${title}" on ${englishTime(startsAt, tz)}.`,
    params: { community, title, time: shortTime(startsAt, tz) },
  }),
  coverageAlert: (community: string, volunteer: string, title: string, startsAt: string, tz: string, left: number, needed: number) => ({
    subject: `【${community}】缺人提醒 Shift given back`,
    body:
      `【${community}】${volunteer} 退出了 ${shortTime(startsAt, tz)}「${title}」的值班，现有 ${needed - left}/${needed} 人。` +
      ` ${volunteer} gave back the ${englishTime(startsAt, tz)} shift; ${needed - left}/${needed} staffed.`,
    params: { community, title, time: shortTime(startsAt, tz), staffed: `${needed - left}/${needed}` },
  }),
};

export interface EventDigestFacts {
  community: string;
  title: string;
  startsAt: string;
  timezone: string;
  confirmedSeats: number;
  capacity: number;
  waitlistLength: number;
  volunteersStaffed: number;
  volunteerCapacity: number;
}

export interface SlotDigestFacts {
  community: string;
  startsAt: string;
  timezone: string;
  volunteerNames: string[];
  volunteerCapacity: number;
  requestsByCategory: Record<string, number>;
}

export const digests = {
  /** The organisers' digest before an event: seats, waitlist, volunteers. */
  event: (f: EventDigestFacts) => {
    const short = f.volunteersStaffed < f.volunteerCapacity;
    return {
      subject: `【${f.community}】活动提醒 Event reminder`,
      body:
        `【${f.community}】「${f.title}」${shortTime(f.startsAt, f.timezone)}：报名 ${f.confirmedSeats}/${f.capacity}，候补 ${f.waitlistLength}，` +
        `志愿者 ${f.volunteersStaffed}/${f.volunteerCapacity}${short ? '（缺人）' : ''}。` +
        ` "${f.title}" ${englishTime(f.startsAt, f.timezone)}: ${f.confirmedSeats}/${f.capacity} seats, ${f.waitlistLength} waiting, ` +
        `volunteers ${f.volunteersStaffed}/${f.volunteerCapacity}${short ? ' (understaffed)' : ''}.`,
      params: {
        community: f.community,
        title: f.title,
        time: shortTime(f.startsAt, f.timezone),
        seats: `${f.confirmedSeats}/${f.capacity}`,
        waiting: String(f.waitlistLength),
        volunteers: `${f.volunteersStaffed}/${f.volunteerCapacity}`,
      },
    };
  },
  /** The organisers' digest before an evening: who is on duty, what residents asked for, and a clear warning when short. */
  slot: (f: SlotDigestFacts) => {
    const staffed = f.volunteerNames.length;
    const understaffed = staffed < f.volunteerCapacity;
    const requests = Object.entries(f.requestsByCategory);
    const zhRequests = requests.length ? requests.map(([c, n]) => `${CATEGORY_NAMES_ZH[c as HelpCategory] ?? c}${n}`).join('、') : '无';
    const enRequests = requests.length ? requests.map(([c, n]) => `${c.replaceAll('_', ' ')} ${n}`).join(', ') : 'none';
    const zhNames = staffed ? f.volunteerNames.join('、') : '无人';
    const enNames = staffed ? f.volunteerNames.join(', ') : 'nobody';
    return {
      subject: `【${f.community}】${understaffed ? '⚠缺人 ' : ''}延时服务提醒 Help desk${understaffed ? ' UNDERSTAFFED' : ''}`,
      body:
        `${understaffed ? `⚠缺人 ${staffed}/${f.volunteerCapacity}！` : ''}【${f.community}】${shortTime(f.startsAt, f.timezone)} 延时服务：值班 ${zhNames}；预约 ${zhRequests}。` +
        `${understaffed ? ` UNDERSTAFFED ${staffed}/${f.volunteerCapacity}!` : ''} Help desk ${englishTime(f.startsAt, f.timezone)}: on duty ${enNames}; requests ${enRequests}.`,
      params: {
        community: f.community,
        time: shortTime(f.startsAt, f.timezone),
        volunteers: `${staffed}/${f.volunteerCapacity}`,
        requests: String(Object.values(f.requestsByCategory).reduce((sum, n) => sum + n, 0)),
      },
    };
  },
  /** A volunteer's reminder an hour before a shift. */
  shift: (community: string, title: string, venue: string, startsAt: string, timezone: string) => ({
    subject: `【${community}】值班提醒 Shift reminder`,
    body:
      `【${community}】提醒：您 ${shortTime(startsAt, timezone)} 在 ${venue} 值班（${title}）。` +
      ` Reminder: your shift at ${englishTime(startsAt, timezone)}, ${venue}.`,
    params: { community, title, time: shortTime(startsAt, timezone), venue },
  }),
};

/** An organisers' digest with the community's overdue work orders (派单) added, when there are any. */
export function withOverdueWorkOrders<T extends { body: string }>(text: T, overdue: number): T {
  if (overdue === 0) return text;
  return { ...text, body: `${text.body} 另有 ${overdue} 件派单已过期限未完成。 ${overdue} work order${overdue === 1 ? '' : 's'} overdue.` };
}
