import { type NavLink, NavLinks } from "./nav-links";

const LINKS: readonly NavLink[] = [
  { href: "/settings/hosts", label: "Docker hosts" },
  { href: "/settings/rings", label: "Rings" },
  { href: "/settings/api-tokens", label: "API tokens" },
  { href: "/settings/webhooks", label: "Webhooks" },
];

/** Tabs between the settings pages. */
export function SettingsNav() {
  return <NavLinks label="Settings" links={LINKS} />;
}
