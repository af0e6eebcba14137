/** The token of an `Authorization: Bearer <token>` header, or undefined for any other header. */
export const bearerToken = (authorization: string | undefined): string | undefined => authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
