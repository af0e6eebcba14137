import { communityParams, idSchema } from './schemas';

// Shared by the public, volunteer and organiser wish routes.

export const wishParams = communityParams.extend({ id: idSchema });
