const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for the 8-4-4-4-12 hex form of a UUID, any case and any version. A malformed id
 * is answered before it reaches a `::uuid` cast, which would fail the whole query.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
