import { randomUUID } from "node:crypto";

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { safeNextPath } from "@/lib/auth/safe-next-path";
import { signIn } from "@/lib/auth/sign-in";
import { signInSchema } from "@/lib/auth/sign-in-schema";
import { listAuditEntries } from "@/lib/db/audit-log";
import { cancelOperation } from "@/lib/db/operations/cancel-operation";
import { enqueueReprovision } from "@/lib/db/operations/enqueue-reprovision";
import { listPinHistory } from "@/lib/db/pin-overview";
import { rollbackPin, unpinTemplate } from "@/lib/db/pins";
import { listWorkspaces } from "@/lib/db/workspaces";
import { isFleetpinError } from "@/lib/domain/errors";
import { promoteFromInput } from "@/lib/pins/promote";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { cancelOperationSchema } from "./operation";
import {
  parseAuditPageParams,
  parseStalePageParams,
  parseWorkspacesPageParams,
  templateFromPathSegment,
} from "./page-params";
import { promotePinSchema, rollbackPinSchema, unpinTemplateSchema } from "./pin";
import { reprovisionStaleSchema, reprovisionWorkspaceSchema } from "./workspace";

// #13 item 7: input that passed validation crashed pages and actions (NUL and
// other control characters, cursors of the right shape whose date or number is
// out of range, an undecodable template name). Every page's search parameters
// and every action's input, through the same parsing the pages and actions
// use, then the same lib call: the only failures allowed are Fleetpin's typed
// errors (shown as a message, never a stack trace).

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const ACTOR = "fuzz@example.com";

const control = fc.constantFrom(
  "\u0000",
  "\u0001",
  "\u0007",
  "\u0008",
  "\u000b",
  "\u001b",
  "\u007f",
  "\u0085",
  "\t",
  "\n",
  "\r",
);
/** Mostly ordinary text, often with a control character somewhere in it. */
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 20 }), control, fc.string({ maxLength: 20 })).map(([a, c, b]) => `${a}${c}${b}`),
  fc.constantFrom("python", "%E0%A4%A", "a%b", "../..", "'; DROP TABLE users; --", "\u202e", "\ud800", ""),
);

const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** `YYYY-MM-DDTHH:MM:SS.ffffffZ`: the cursor's shape, with any digits (so often out of range). */
const cursorTime = fc
  .tuple(fc.nat(9999), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(999_999))
  .map(
    ([y, mo, d, h, mi, s, us]) =>
      `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(us, 6)}Z`,
  );
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const workspaceCursor = fc.oneof(
  fc.tuple(cursorTime, fc.uuid()).map(([at, id]) => b64(`${at}|${id}`)),
  hostile.map(b64),
  hostile,
);
const auditCursor = fc.oneof(
  fc.tuple(cursorTime, fc.bigInt({ min: 0n, max: 10n ** 19n - 1n })).map(([at, id]) => b64(`${at}|${id}`)),
  hostile.map(b64),
  hostile,
);
/** What a browser would put in the path; a lone surrogate cannot be encoded and goes as it is. */
function percentEncoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}
const param = (value: fc.Arbitrary<string>) =>
  fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.constant(undefined));

async function expectNoCrash(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    // Registry errors are FleetpinErrors too.
    if (!isFleetpinError(error)) throw error;
  }
}

describe.each(availableBackends())("hostile page and action input on %s", (backend) => {
  const db = useTestDatabase(backend);
  const registryPrefix = `${process.env.TEST_REGISTRY_HOST ?? "127.0.0.1:1"}/fuzz`;

  beforeAll(async () => {
    await db().workspace.create({ data: { name: "fuzz-ws", runtime: "python", status: "online" } });
  });

  it("/workspaces and /stale: any search parameters render a list or a typed error", async () => {
    const params = fc.record(
      {
        template: param(hostile),
        status: param(fc.oneof(hostile, fc.constantFrom("online", "failed"))),
        staleness: param(fc.oneof(hostile, fc.constantFrom("stale", "unknown"))),
        q: param(hostile),
        cursor: param(workspaceCursor),
        direction: param(fc.oneof(hostile, fc.constantFrom("next", "prev"))),
        limit: param(fc.oneof(hostile, fc.integer().map(String), fc.constantFrom("1e309", "NaN", "-0", "20"))),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(params, async (raw) => {
        await expectNoCrash(() => listWorkspaces(db(), parseWorkspacesPageParams(raw)));
        await expectNoCrash(() => listWorkspaces(db(), { ...parseStalePageParams(raw), staleness: "stale" }));
      }),
      { numRuns: RUNS },
    );
  });

  it("/audit: any search parameters render entries or a typed error", async () => {
    const params = fc.record(
      {
        template: param(hostile),
        action: param(fc.oneof(hostile, fc.constantFrom("pin.", "session."))),
        cursor: param(auditCursor),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(params, async (raw) => {
        await expectNoCrash(() => listAuditEntries(db(), parseAuditPageParams(raw)));
      }),
      { numRuns: RUNS },
    );
  });

  it("/pins/[template]: any path segment is a template (history or typed error) or a 404", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostile, hostile.map(percentEncoded)), async (segment) => {
        const name = templateFromPathSegment(segment);
        if (name !== null) await expectNoCrash(() => listPinHistory(db(), name));
      }),
      { numRuns: RUNS },
    );
    expect(templateFromPathSegment("%E0%A4%A")).toBeNull();
  });

  it("pin actions: any form input is refused by the schema or handled with a typed error", async () => {
    const digest = fc.oneof(hostile, fc.stringMatching(/^sha256:[a-f0-9]{64}$/));
    const form = fc.record({
      templateName: fc.oneof(hostile, fc.constant("python")),
      digestOrTag: fc.oneof(hostile, digest),
      expectedDigest: fc.oneof(hostile, digest, fc.constant("")),
      reason: hostile,
    });
    await fc.assert(
      fc.asyncProperty(form, async (raw) => {
        const promote = promotePinSchema.safeParse(raw);
        if (promote.success)
          await expectNoCrash(() =>
            promoteFromInput(db(), promote.data, ACTOR, {
              env: { ...process.env, MOLECULE_IMAGE_REGISTRY: registryPrefix },
            }),
          );
        const rollback = rollbackPinSchema.safeParse(raw);
        if (rollback.success) await expectNoCrash(() => rollbackPin(db(), rollback.data, ACTOR));
        const unpin = unpinTemplateSchema.safeParse(raw);
        if (unpin.success) await expectNoCrash(() => unpinTemplate(db(), unpin.data, ACTOR));
      }),
      { numRuns: RUNS },
    );
  });

  it("workspace and operation actions: any form input is refused by the schema or handled with a typed error", async () => {
    const id = fc.oneof(hostile, fc.uuid(), fc.constant(randomUUID()));
    const form = fc.record({
      workspaceId: id,
      operationId: id,
      template: fc.oneof(hostile, fc.constant("python")),
      reason: fc.oneof(hostile, fc.constant(undefined)),
    });
    await fc.assert(
      fc.asyncProperty(form, async (raw) => {
        const one = reprovisionWorkspaceSchema.safeParse(raw);
        if (one.success)
          await expectNoCrash(() =>
            enqueueReprovision(db(), { workspaceIds: [one.data.workspaceId], reason: one.data.reason }, ACTOR),
          );
        const stale = reprovisionStaleSchema.safeParse(raw);
        if (stale.success)
          await expectNoCrash(() =>
            enqueueReprovision(
              db(),
              { allStale: true, template: stale.data.template, reason: stale.data.reason },
              ACTOR,
            ),
          );
        const cancel = cancelOperationSchema.safeParse(raw);
        if (cancel.success) await expectNoCrash(() => cancelOperation(db(), cancel.data.operationId, ACTOR));
      }),
      { numRuns: RUNS },
    );
  });

  it("sign-in: any form input is refused by the schema, or answered, and `next` stays on the site", async () => {
    const form = fc.record({
      email: fc.oneof(hostile, fc.constant("ops@example.com")),
      password: hostile,
      next: fc.oneof(hostile, fc.constant(undefined)),
    });
    await fc.assert(
      fc.asyncProperty(form, fc.nat(255), async (raw, octet) => {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return;
        const result = await signIn(
          db(),
          { ...parsed.data, clientAddress: `198.51.100.${octet}` },
          { verify: async () => false },
        );
        expect(result.ok).toBe(false);
        expect(safeNextPath(parsed.data.next)).toMatch(/^\/(?![/\\])/);
      }),
      { numRuns: RUNS },
    );
  });
});
