/**
 * GraphQL enum values are SCREAMING_SNAKE_CASE (the spec's convention, and what every client
 * generator expects); the services and the database keep their lowercase values. This is the one
 * place that maps between them, so no resolver converts by hand.
 */
export function screamingCase(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Pothos enum values named in SCREAMING_SNAKE_CASE, each carrying its internal value. */
export function screamingValues<Value extends string>(
  values: readonly Value[],
  descriptions: Partial<Record<Value, string>> = {},
): Record<string, { value: Value; description?: string }> {
  return Object.fromEntries(
    values.map((value) => {
      const description = descriptions[value];
      return [screamingCase(value), description === undefined ? { value } : { value, description }];
    }),
  );
}
