import { groupsOf, organiserFromClaims } from '../../../functions/auth/organiser-claims';

describe('groupsOf', () => {
  it.each([
    [['organisers', 'staff'], ['organisers', 'staff']],
    ['[organisers staff]', ['organisers', 'staff']],
    ['[organisers]', ['organisers']],
    ['organisers', ['organisers']],
    // Matched whole: a comma is part of a name, not a separator.
    ['organisers,admins', ['organisers,admins']],
    ['[organisers,admins]', ['organisers,admins']],
    [undefined, []],
    [42, []],
  ])('reads %j as %j', (raw, groups) => {
    expect(groupsOf({ 'cognito:groups': raw })).toEqual(groups);
  });
});

describe('organiserFromClaims', () => {
  const claims = { sub: 'u1', 'cognito:groups': '[organisers]', 'custom:communityId': 'xingfu' };

  it("accepts an organiser on the token's own community", () => {
    expect(organiserFromClaims(claims, 'xingfu')).toEqual({ kind: 'organiser', subject: 'u1', communityId: 'xingfu' });
  });

  it.each([
    ['another community', claims, 'other', 'forbidden'],
    ['no organisers group', { ...claims, 'cognito:groups': '[organisers-x]' }, 'xingfu', 'forbidden'],
    ['no community claim', { sub: 'u1', 'cognito:groups': '[organisers]' }, 'xingfu', 'forbidden'],
    ['no claims at all', undefined, 'xingfu', 'unauthorized'],
  ])('refuses %s', (_label, given, community, code) => {
    expect(() => organiserFromClaims(given, community)).toThrow(expect.objectContaining({ code }));
  });
});
