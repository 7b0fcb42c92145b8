import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { captureLogs } from "./capture";
import { reportServiceStatus } from "./service-health";

describe("reportServiceStatus", () => {
  it("logs an outage once at error and its end once at info, however many probes see it", () => {
    const service = `Docker at unix:///test-${randomUUID()}.sock`;
    const logs = captureLogs();
    try {
      reportServiceStatus(service, { ok: true }, 0);
      for (let probe = 1; probe <= 5; probe++)
        reportServiceStatus(service, { ok: false, reason: "connect ENOENT" }, probe * 1_000);
      reportServiceStatus(service, { ok: true }, 46_000);
      reportServiceStatus(service, { ok: true }, 47_000);
    } finally {
      logs.restore();
    }
    expect(logs.lines).toEqual([
      expect.objectContaining({
        level: "error",
        source: "health",
        service,
        event: "service_down",
        reason: "connect ENOENT",
        msg: `${service} is down: connect ENOENT`,
      }),
      expect.objectContaining({
        level: "info",
        source: "health",
        service,
        event: "service_up",
        downForMs: 45_000,
        msg: `${service} is back after 45 s`,
      }),
    ]);
  });
});
