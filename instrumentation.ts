// Runs once when the Next.js server process starts (not during `next build`).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, before any await: every request must carry the socket address sign-in limits key on.
  const { stampSocketAddresses } = await import("@/lib/auth/socket-address");
  stampSocketAddresses();
  // Then the configuration: a wrong value stops the process here, naming the variable.
  const { requireValidConfig } = await import("@/lib/bootstrap/require-valid-config");
  requireValidConfig();
  const { onServerStart } = await import("@/lib/bootstrap/on-start");
  await onServerStart();
}
