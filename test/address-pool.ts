/**
 * Address pools of the test dockerds: /24s out of one /16 (256 networks) instead of the default
 * /16s, which a few engines that died without removing their bridges used up on a long-lived
 * machine ("could not find an available, non-overlapping IPv4 address pool"). Each engine of
 * scripts/services/start.sh has its own /16 (SERVICE_ADDRESS_POOLS, the same list as there), so
 * networks made on one never overlap another's; the tests' private engines share a fourth.
 */
// Its own file because browser journeys import the dockerd helpers, and Playwright's loader cannot
// load test/docker.ts (it reaches the server-only database client through test/databases.ts).
export const SERVICE_ADDRESS_POOLS = ["10.210.0.0/16", "10.211.0.0/16", "10.212.0.0/16"] as const;
export const TEST_ADDRESS_POOL = ["--default-address-pool", "base=10.213.0.0/16,size=24"] as const;
