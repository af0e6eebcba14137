import * as z from 'zod';
import { COMMUNITY_DEFAULTS, communitySchema, organiserView } from '../../domain/communities';
import { CHECK_IN_PROOFS } from '../../domain/desk-codes';
import { line } from '../../domain/model';
import { isValidTimeZone } from '../../domain/time';
import { defineRoute, ok } from '../../http/route';
import { requireCommunity } from '../../services/communities';
import { saveCommunitySettings } from '../../services/community-settings';
import { communityParams } from '../schemas';
import { phoneSchema } from '../phone';

const contactSchema = z.union([z.email(), phoneSchema], { message: 'An email address or a phone number' });

const settingsBody = z.object({
  name: line(100),
  timezone: z
    .string()
    .refine(isValidTimeZone, 'Not an IANA time zone, e.g. Asia/Shanghai')
    .default(COMMUNITY_DEFAULTS.timezone),
  pointsPerHour: z.number().int().min(0).max(1000).default(COMMUNITY_DEFAULTS.pointsPerHour),
  reminderOffsetsMinutes: z
    .array(z.number().int().min(1).max(60 * 24 * 14))
    .max(6)
    .default([...COMMUNITY_DEFAULTS.reminderOffsetsMinutes]),
  organiserContacts: z.array(contactSchema).max(20).default([]),
  verifyPhone: z.boolean().default(false).describe('Sign-ups and bookings wait for a 6-digit code sent to the phone by SMS'),
  checkInProof: z
    .enum(CHECK_IN_PROOFS)
    .default('none')
    .describe('desk_code: a check-in needs the code on the community room’s kiosk screen (GET /communities/{c}/desk-code)'),
  wecomWebhookUrl: z
    .string()
    .max(300)
    .nullable()
    .optional()
    .describe('A 企业微信 group robot address, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (any other host is 400); null removes it; left out or sent back masked, it is kept'),
});

export const organiserCommunityRoutes = [
  defineRoute({
    method: 'GET',
    path: '/communities/{c}/settings',
    operationId: 'getCommunitySettings',
    summary: 'The settings as organisers see them, contacts included (an extension for the console)',
    tags: ['communities'],
    credential: 'organiser',
    params: communityParams,
    responses: { 200: { description: 'The settings', schema: communitySchema } },
    handler: async ({ params }) => ok(organiserView(await requireCommunity(params.c, { fresh: true }))),
  }),
  defineRoute({
    method: 'PUT',
    path: '/communities/{c}/settings',
    operationId: 'putCommunitySettings',
    summary: 'Create or update the community and its settings',
    tags: ['communities'],
    credential: 'organiser',
    params: communityParams,
    body: settingsBody,
    responses: { 200: { description: 'The saved settings', schema: communitySchema } },
    handler: async ({ params, body }) => ok(organiserView(await saveCommunitySettings(params.c, body))),
  }),
];
