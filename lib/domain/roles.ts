/** The two operator roles: viewers read, operators also change pins and containers. */
export type Role = "viewer" | "operator";

export const ROLES: readonly Role[] = ["viewer", "operator"];

// Ordered so a higher rank includes everything a lower one may do.
const RANK: Record<Role, number> = { viewer: 0, operator: 1 };

/** True when a user holding `actual` may do what needs `required` (an operator may also view). */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

/** True for a known role name (the database enum and the CLI flag share these). */
export function isRole(value: unknown): value is Role {
  return value === "viewer" || value === "operator";
}
