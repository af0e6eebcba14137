import { functionGroupOf, routeKeyOf } from '../../../functions/http/route';
import { routes, routesOf } from '../../../functions/routes';

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
});
