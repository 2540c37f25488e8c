import type { GraphQLResolveInfo } from 'graphql';
import type { SubgraphContext } from '../context';

/** One field resolver with its parent, arguments and result typed. */
export type FieldResolver<Parent, Args, Result> = (
  parent: Parent,
  args: Args,
  context: SubgraphContext,
  info: GraphQLResolveInfo,
) => Result | Promise<Result>;

/** An entity as the gateway names it: its key only. */
export interface EntityRef {
  id: string;
}
