import * as z from 'zod';
import { HELP_CATEGORIES } from '../domain/glossary';
import { volunteerRecord } from '../domain/volunteers';

/** Volunteer schemas shared by the organiser and the volunteer routes, from the declaration in functions/domain/volunteers.ts. */

export const team = volunteerRecord.shape.team;
export const skills = z.array(z.enum(HELP_CATEGORIES)).max(HELP_CATEGORIES.length);
