/**
 * Runs `work` one at a time: a request while a run is going asks for exactly one more run
 * after it (a burst of events becomes at most two runs, and the last one sees everything).
 * `work` must not throw; `idle()` resolves once nothing is running or pending.
 */
export function singleFlight(work: () => Promise<void>): { request: () => Promise<void>; idle: () => Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      await work();
    } while (again);
    running = null;
  };
  return {
    request() {
      if (running) again = true;
      else running = loop();
      return running;
    },
    idle: () => running ?? Promise.resolve(),
  };
}
