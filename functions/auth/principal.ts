/** Who is calling, after the credential was checked. */
export type Principal =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'resident'; readonly manageToken: string }
  | { readonly kind: 'volunteer'; readonly volunteerId: string; readonly communityId: string }
  | { readonly kind: 'organiser'; readonly subject: string; readonly communityId: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export type VolunteerPrincipal = Extract<Principal, { kind: 'volunteer' }>;
export type OrganiserPrincipal = Extract<Principal, { kind: 'organiser' }>;
export type ResidentPrincipal = Extract<Principal, { kind: 'resident' }>;
