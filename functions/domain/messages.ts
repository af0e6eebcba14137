import { englishTime, shortTime } from './notifications';

/**
 * The words of every message Linli sends: Chinese first, then English, short enough for an SMS.
 * Kept in one place so the reminders issue adds its digests beside these.
 */
export const messages = {
  eventCancelled: (community: string, title: string, startsAt: string, tz: string) => ({
    subject: `【${community}】活动取消 Event cancelled`,
    body:
      `【${community}】很抱歉，「${title}」（${shortTime(startsAt, tz)}）已取消。` +
      ` Sorry: "${title}" on ${englishTime(startsAt, tz)} is cancelled.`,
  }),
  slotCancelled: (community: string, startsAt: string, tz: string) => ({
    subject: `【${community}】延时服务取消 Help desk cancelled`,
    body:
      `【${community}】${shortTime(startsAt, tz)} 的每晚一小时延时服务已取消，请改约其他时间。` +
      ` The help desk on ${englishTime(startsAt, tz)} is cancelled; please book another evening.`,
  }),
  coverageAlert: (community: string, volunteer: string, title: string, startsAt: string, tz: string, left: number, needed: number) => ({
    subject: `【${community}】缺人提醒 Shift given back`,
    body:
      `【${community}】${volunteer} 退出了 ${shortTime(startsAt, tz)}「${title}」的值班，现有 ${needed - left}/${needed} 人。` +
      ` ${volunteer} gave back the ${englishTime(startsAt, tz)} shift; ${needed - left}/${needed} staffed.`,
  }),
};
