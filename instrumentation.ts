// Runs once when the Next.js server process starts (not during `next build`).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { onServerStart } = await import("@/lib/bootstrap/on-start");
  await onServerStart();
}
