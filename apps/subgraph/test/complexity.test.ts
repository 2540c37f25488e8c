import { parse } from 'graphql';
import { costVariables } from '../src/plugins/complexity';

/* Which variables key a document's remembered cost estimate (plugins/complexity.ts). */

describe('costVariables', () => {
  it('are the variables in limit and representations arguments and in directives, no others', () => {
    const document = parse(`
      query Q($u: ID!, $l: Int, $r: [_Any!]!, $s: Boolean!, $f: RecommendationFilterInput, $n: Int) {
        recommendations(userId: $u, limit: $l, filter: $f) { items { rank } }
        _entities(representations: $r) { __typename }
        trendingServices(limit: 3) @include(if: $s) { rank }
        other: trendingServices(category: "x", limit: $n) { rank }
      }
    `);
    expect(costVariables(document).sort()).toEqual(['l', 'n', 'r', 's']);
  });

  it('are none for a document without variables in those places', () => {
    expect(costVariables(parse('query Q($u: ID!) { recommendations(userId: $u) { fromCache } }'))).toEqual(
      [],
    );
  });
});
