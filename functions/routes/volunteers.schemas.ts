import * as z from 'zod';
import { HELP_CATEGORIES, TEAMS } from '../domain/volunteers';

/** Volunteer schemas shared by the organiser and the volunteer routes (organiser/volunteers.ts, volunteer/volunteers.ts). */

export const team = z.enum(TEAMS);
export const skills = z.array(z.enum(HELP_CATEGORIES)).max(HELP_CATEGORIES.length);
