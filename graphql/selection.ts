/**
 * Whether a query selects a field of the object a resolver returns, through inline fragments and
 * named fragments too: for work a service does only when the answer will carry it.
 */
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

function selects(
  selectionSet: SelectionSetNode | undefined,
  name: string,
  info: GraphQLResolveInfo,
): boolean {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === 'Field' && selection.name.value === name) return true;
    if (selection.kind === 'InlineFragment' && selects(selection.selectionSet, name, info)) return true;
    if (selection.kind === 'FragmentSpread') {
      const fragment = info.fragments[selection.name.value];
      if (fragment && selects(fragment.selectionSet, name, info)) return true;
    }
  }
  return false;
}

export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => selects(node.selectionSet, name, info));
}
