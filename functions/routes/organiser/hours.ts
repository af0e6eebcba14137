import * as z from 'zod';
import { hoursLogSchema, hoursLogView, MAX_MINUTES } from '../../domain/hours';
import { paragraph } from '../../domain/model';
import { TEAM_NAMES_ZH, type Team } from '../../domain/volunteers';
import { CSV_CONTENT_TYPE, toCsv } from '../../http/csv';
import { created, defineRoute, ok } from '../../http/route';
import { approveHours, enterHours, hoursReport, logsForReview, logWithCommunity, rejectHours } from '../../services/hours';
import { communityParams, idSchema, instantSchema, listOf, monthSchema, paginationQuery } from '../schemas';

const logParams = communityParams.extend({ logId: idSchema });
const monthQuery = z.object({ month: monthSchema });
const note = paragraph(500, 1);

const reportSchema = z.object({
  month: z.string(),
  timezone: z.string(),
  totals: z.object({ minutes: z.number().int(), points: z.number().int() }),
  teams: z.array(z.object({ team: z.string(), minutes: z.number().int(), points: z.number().int() })),
  volunteers: z.array(z.object({ volunteerId: z.string(), name: z.string(), team: z.string(), minutes: z.number().int(), points: z.number().int() })),
});

export const organiserHoursRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/hours',
    operationId: 'listHoursForReview',
    summary: 'Hours logs to review (pending by default, oldest first)',
    tags: ['hours'],
    credential: 'organiser',
    params: communityParams,
    query: paginationQuery.extend({ status: z.enum(['open', 'pending', 'approved', 'rejected']).default('pending') }),
    responses: { 200: { description: 'Logs', schema: listOf(hoursLogSchema) } },
    handler: async ({ params, query }) => {
      const page = await logsForReview(params.c, query.status, query);
      return ok({ items: page.items.map((log) => hoursLogView(log, page.community)), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/hours/{logId}/approve',
    operationId: 'approveHours',
    summary: 'Approve a log (changing the minutes needs a note); credits points exactly once',
    tags: ['hours'],
    credential: 'organiser',
    params: logParams,
    body: z.object({ minutes: z.number().int().min(0).max(MAX_MINUTES).optional(), note: note.optional() }),
    responses: { 200: { description: 'Approved', schema: z.object({ hoursLog: hoursLogSchema }) } },
    /** The handler answers a repeat as it did the first time and writes nothing again. */
    replay: 'handler',
    handler: async ({ params, body, principal }) => {
      const { log, community } = await approveHours(principal, params.c, params.logId, body);
      return ok({ hoursLog: hoursLogView(log, community) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/hours/{logId}/reject',
    operationId: 'rejectHours',
    summary: 'Reject a log, saying why',
    tags: ['hours'],
    credential: 'organiser',
    params: logParams,
    body: z.object({ note }),
    responses: { 200: { description: 'Rejected', schema: z.object({ hoursLog: hoursLogSchema }) } },
    /** The handler answers a repeat as it did the first time and writes nothing again. */
    replay: 'handler',
    handler: async ({ params, body, principal }) => {
      const { log, community } = await rejectHours(principal, params.c, params.logId, body.note);
      return ok({ hoursLog: hoursLogView(log, community) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/communities/{c}/hours',
    operationId: 'enterHours',
    summary: 'Enter hours for a forgotten check-in: stored approved and credited',
    tags: ['hours'],
    credential: 'organiser',
    params: communityParams,
    body: z.object({
      volunteerId: idSchema,
      startedAt: instantSchema,
      endedAt: instantSchema,
      note,
      slotId: z.string().regex(/^\d{8}-\d{4}$/).optional(),
      eventId: idSchema.optional(),
    }),
    responses: { 201: { description: 'Entered', schema: z.object({ hoursLog: hoursLogSchema }) } },
    replay: async ({ params, outcome }) => {
      const { log, community } = await logWithCommunity(params.c, outcome.logId!);
      return created({ hoursLog: hoursLogView(log, community) });
    },
    handler: async ({ params, body, principal }) => {
      const { log, community } = await enterHours(principal, params.c, body);
      return created({ hoursLog: hoursLogView(log, community) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/reports/hours',
    operationId: 'hoursReport',
    summary: 'Approved minutes and points per team and per volunteer in a month (community time zone)',
    tags: ['reports'],
    credential: 'organiser',
    params: communityParams,
    query: monthQuery,
    responses: { 200: { description: 'The report', schema: reportSchema } },
    handler: async ({ params, query }) => {
      const report = await hoursReport(params.c, query.month);
      return ok({ month: report.month, timezone: report.community.timezone, totals: report.totals, teams: report.teams, volunteers: report.volunteers });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/reports/hours.csv',
    operationId: 'hoursReportCsv',
    summary: 'The monthly report as CSV (UTF-8 with BOM, formula-safe)',
    tags: ['reports'],
    credential: 'organiser',
    params: communityParams,
    query: monthQuery,
    responses: { 200: { description: 'CSV', contentType: CSV_CONTENT_TYPE } },
    handler: async ({ params, query }) => {
      const report = await hoursReport(params.c, query.month);
      const teamName = (team: string) => `${TEAM_NAMES_ZH[team as Team] ?? team} ${team}`;
      const rows = [
        ...report.teams.map((team) => ['队伍 team', teamName(team.team), '', team.minutes, (team.minutes / 60).toFixed(1), team.points]),
        ...report.volunteers.map((v) => ['志愿者 volunteer', teamName(v.team), v.name, v.minutes, (v.minutes / 60).toFixed(1), v.points]),
        ['合计 total', '', '', report.totals.minutes, (report.totals.minutes / 60).toFixed(1), report.totals.points],
      ];
      return {
        status: 200,
        contentType: CSV_CONTENT_TYPE,
        headers: { 'Content-Disposition': `attachment; filename="hours-${query.month}.csv"` },
        body: toCsv(['类别 kind', '队伍 team', '姓名 name', '分钟 minutes', '小时 hours', '积分 points'], rows),
      };
    },
  }),
];
