import { functionGroupOf, routeKeyOf } from '../../../functions/http/route';
import { routes, routesOf } from '../../../functions/routes';
import { organiserRoutes } from '../../../functions/routes/organiser';
import { publicRoutes } from '../../../functions/routes/public';
import { volunteerRoutes } from '../../../functions/routes/volunteer';

describe('the route table', () => {
  it('declares each method and path once, with unique operation ids', () => {
    expect(new Set(routes.map(routeKeyOf)).size).toBe(routes.length);
    expect(new Set(routes.map((route) => route.operationId)).size).toBe(routes.length);
  });

  it('validates every path parameter it declares', () => {
    for (const route of routes) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      if (names.length === 0) continue;
      const shape = (route.params as unknown as { shape: Record<string, unknown> } | undefined)?.shape ?? {};
      expect({ route: routeKeyOf(route), params: Object.keys(shape).sort() }).toEqual({ route: routeKeyOf(route), params: names.sort() });
    }
  });

  it('says how to answer a repeat of every POST (Idempotency-Key), and of nothing else', () => {
    // A POST whose first attempt wrote its effect but stored no answer is answered by `replay`;
    // without one, its retry could only say "in progress" (functions/http/middleware/idempotency.ts).
    const posts = routes.filter((route) => route.method === 'POST');
    expect(posts.filter((route) => !route.replay).map(routeKeyOf)).toEqual([]);
    expect(routes.filter((route) => route.method !== 'POST' && route.replay).map(routeKeyOf)).toEqual([]);
  });

  it('keeps organiser routes under their community', () => {
    for (const route of routes.filter((candidate) => candidate.credential === 'organiser')) {
      expect(route.path.startsWith('/communities/{c}')).toBe(true);
    }
  });

  it('gives every route to exactly one function', () => {
    const grouped = [...routesOf('public'), ...routesOf('volunteer'), ...routesOf('organiser')];
    expect(grouped).toHaveLength(routes.length);
    expect(routesOf('organiser').every((route) => functionGroupOf(route.credential) === 'organiser')).toBe(true);
  });

  describe('split into one module per function group (what each Lambda entry imports)', () => {
    const groups = { public: publicRoutes, volunteer: volunteerRoutes, organiser: organiserRoutes } as const;

    it.each(Object.keys(groups) as (keyof typeof groups)[])('holds only %s routes in that group\'s module', (group) => {
      const strays = groups[group].filter((route) => functionGroupOf(route.credential) !== group).map(routeKeyOf);
      expect(strays).toEqual([]);
      expect(groups[group].length).toBeGreaterThan(0);
    });

    it('puts every route of the table in exactly one group module, in table order', () => {
      const grouped = [...publicRoutes, ...volunteerRoutes, ...organiserRoutes];
      expect(grouped).toHaveLength(routes.length);
      expect(new Set(grouped)).toEqual(new Set(routes));
      for (const [group, list] of Object.entries(groups)) {
        const inTable = routes.filter((route) => functionGroupOf(route.credential) === group);
        expect(list.map(routeKeyOf)).toEqual(inTable.map(routeKeyOf));
        expect(list.every((route, index) => route === inTable[index])).toBe(true);
        expect(routesOf(group as keyof typeof groups)).toEqual(list);
      }
    });
  });
});
