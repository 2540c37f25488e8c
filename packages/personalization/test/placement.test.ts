import {
  candidatePlan,
  maxPerCategory,
  PersonalizationErrorCode,
  PLACEMENT_POLICIES,
  type Placement,
  type SourceName,
} from '../src';

const SOURCES: SourceName[] = [
  'model',
  'similar',
  'content',
  'session',
  'declared',
  'segment',
  'profile',
  'trending',
  'popular',
  'exploration',
];

describe('the placement policy table', () => {
  it('has a complete, valid policy for each of the serving contract’s placements', () => {
    expect(Object.keys(PLACEMENT_POLICIES).sort()).toEqual(['home', 'search', 'service_page']);
    for (const policy of Object.values(PLACEMENT_POLICIES)) {
      expect(Object.keys(policy.candidates).sort()).toEqual([...SOURCES].sort());
      expect(Object.keys(policy.weights).sort()).toEqual([...SOURCES].sort());
      for (const s of SOURCES) {
        expect(Number.isInteger(policy.candidates[s]) && policy.candidates[s] >= 0).toBe(true);
        expect(policy.weights[s]).toBeGreaterThanOrEqual(0);
      }
      expect(policy.mmrLambda).toBeGreaterThan(0);
      expect(policy.mmrLambda).toBeLessThanOrEqual(1);
      expect(policy.maxCategoryShare).toBeGreaterThan(0);
      expect(policy.maxCategoryShare).toBeLessThanOrEqual(1);
      expect(policy.summary.length).toBeGreaterThan(10);
    }
  });

  it('home is the broadest and most diverse; search is filtered; a service page anchors on its service', () => {
    const { home, search, service_page: page } = PLACEMENT_POLICIES;
    // home: every source on, the most diversity.
    expect(SOURCES.every((s) => home.candidates[s] > 0)).toBe(true);
    expect(home.mmrLambda).toBeLessThan(Math.min(search.mmrLambda, page.mmrLambda));
    expect(home.minCategories).toBeGreaterThanOrEqual(4);
    expect(maxPerCategory(home, 10)).toBe(3);
    // search: bounded by the query's categories, ranked mostly by relevance.
    expect(search.scope).toBe('query-categories');
    expect(home.scope).toBe('catalog');
    expect(search.mmrLambda).toBeGreaterThanOrEqual(0.9);
    // service page: the page's service first among the anchors, neighbours weigh most, no trending.
    expect(page.anchors[0]).toBe('page-service');
    expect(page.candidates.similar + page.candidates.content).toBeGreaterThan(
      home.candidates.similar + home.candidates.content,
    );
    expect(page.weights.similar).toBeGreaterThan(page.weights.popular);
    expect(page.candidates.trending).toBe(0);
    expect(maxPerCategory(page, 10)).toBe(10);
  });
});

describe('candidatePlan', () => {
  it('resolves each placement against its request', () => {
    expect(candidatePlan('home')).toMatchObject({
      placement: 'home',
      categoryFilter: null,
      fellBackTo: null,
    });
    expect(candidatePlan('search', { categories: ['code', ''] })).toMatchObject({
      categoryFilter: ['code'],
      fellBackTo: null,
    });
    expect(candidatePlan('service_page', { serviceId: 's1' })).toMatchObject({
      pageServiceId: 's1',
      policy: PLACEMENT_POLICIES.service_page,
    });
    // Home does not anchor on a page even when the request names one.
    expect(candidatePlan('home', { serviceId: 's1' }).pageServiceId).toBeNull();
  });

  it('falls back to home when the request lacks what the placement needs', () => {
    for (const [placement, request] of [
      ['service_page', {}],
      ['search', { categories: [] }],
    ] as [Placement, object][]) {
      const plan = candidatePlan(placement, request);
      expect(plan.placement).toBe(placement);
      expect(plan.fellBackTo).toBe('home');
      expect(plan.policy).toBe(PLACEMENT_POLICIES.home);
    }
  });

  it('rejects an unknown placement by name', () => {
    for (const bad of ['sidebar', 'toString', '__proto__'])
      expect(() => candidatePlan(bad)).toThrow(
        expect.objectContaining({
          code: PersonalizationErrorCode.BAD_INPUT,
          message: expect.stringContaining(`unknown placement "${bad}"`),
        }),
      );
  });
});
