import { type NavLink, NavLinks } from "./nav-links";

// Settings pages share one entry with their own row of tabs (settings-nav.tsx): ten links
// in one bar wrapped onto a second line at 1280 px.
const LINKS: readonly NavLink[] = [
  { href: "/pins", label: "Pins" },
  { href: "/rollouts", label: "Rollouts" },
  { href: "/workspaces", label: "Workspaces" },
  { href: "/stale", label: "Stale fleet" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings/hosts", label: "Settings", section: "/settings" },
];

/** The dashboard's top navigation. */
export function MainNav() {
  return <NavLinks label="Main" links={LINKS} />;
}
