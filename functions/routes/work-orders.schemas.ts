import * as z from 'zod';
import { HELP_CATEGORIES } from '../domain/glossary';
import { paragraph } from '../domain/model';
import { idSchema, communityParams, optionalText } from './schemas';

// Shared by the public, volunteer and organiser work-order routes.

export const workOrderParams = communityParams.extend({ id: idSchema });

/** What a report says: the problem's category (the help desk's), a sentence, where. */
export const reportFields = {
  category: z.enum(HELP_CATEGORIES, { message: `One of ${HELP_CATEGORIES.join(', ')}` }),
  description: paragraph(500, 1, 'Please describe the problem'),
  building: optionalText(40),
};
