-- Two states Fleetpin itself observes, next to the platform's own ten:
--   down    the container is not running (or is gone) although nobody stopped it on
--           purpose (not paused / hibernated / removed): an outage for the customer;
--   unknown the Docker engine that runs the container cannot be reached, so its state
--           is not known (deliberately not `offline`, which is the platform's liveness verdict).
-- ADD VALUE inside a transaction is fine on PostgreSQL >= 12 as long as this
-- migration does not use the new values itself.
ALTER TYPE "workspace_status" ADD VALUE IF NOT EXISTS 'down';
ALTER TYPE "workspace_status" ADD VALUE IF NOT EXISTS 'unknown';
