/**
 * Address pool of every test dockerd: /24s out of one /16 (256 networks) instead of the default
 * /16s, which a few engines that died without removing their bridges used up on a long-lived
 * machine ("could not find an available, non-overlapping IPv4 address pool"). scripts/services/start.sh
 * passes the same.
 */
// Its own file because browser journeys import the dockerd helpers, and Playwright's loader cannot
// load test/docker.ts (it reaches the server-only database client through test/databases.ts).
export const TEST_ADDRESS_POOL = ["--default-address-pool", "base=10.210.0.0/16,size=24"] as const;
