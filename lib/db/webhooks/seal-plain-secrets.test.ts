import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";
import { isSealedSecret, openSecret, sealSecret } from "@/lib/util/secret-box";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { sealPlainWebhookSecrets } from "./seal-plain-secrets";

const key = randomBytes(32);
const env = { FLEETPIN_SECRET_KEY: key.toString("base64") };
const NO_KEY_ON_POSTGRES = { DATABASE_URL: "postgres://fleetpin@127.0.0.1:5432/fleetpin" };

describe.each(availableBackends())("sealing plain webhook secrets on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["webhook_endpoints", "webhook_deliveries"] });
  // Rows as an earlier version wrote them: the secret as given.
  const legacy = (url: string, secret: string) =>
    db().webhookEndpoint.create({ data: { url, secret, events: ["pin.promoted"], createdBy: "old@example.com" } });
  const secrets = async () =>
    Object.fromEntries(
      (await db().webhookEndpoint.findMany({ select: { url: true, secret: true } })).map((row) => [
        row.url,
        row.secret,
      ]),
    );

  it("seals each plain row once, leaves sealed rows alone, and a second pass changes nothing", async () => {
    await legacy("https://a.example.com/", "whsec_plain-secret-a");
    await legacy("https://b.example.com/", "v1:a-plain-secret:that-only-looks-versioned");
    const alreadySealed = sealSecret("whsec_sealed-secret-c", key);
    await legacy("https://c.example.com/", alreadySealed);

    expect(await sealPlainWebhookSecrets(db(), env)).toBe(2);
    const after = await secrets();
    expect(Object.values(after).every(isSealedSecret)).toBe(true);
    expect(openSecret(after["https://a.example.com/"]!, key)).toBe("whsec_plain-secret-a");
    expect(openSecret(after["https://b.example.com/"]!, key)).toBe("v1:a-plain-secret:that-only-looks-versioned");
    expect(after["https://c.example.com/"]).toBe(alreadySealed);

    expect(await sealPlainWebhookSecrets(db(), env)).toBe(0);
    expect(await secrets()).toEqual(after);
  });

  it("needs no key when nothing is plain, and without one leaves plain rows as they are", async () => {
    await legacy("https://sealed.example.com/", sealSecret("whsec_x", key));
    expect(await sealPlainWebhookSecrets(db(), NO_KEY_ON_POSTGRES)).toBe(0);

    await legacy("https://plain.example.com/", "whsec_still-plain");
    const before = await secrets();
    const pass = sealPlainWebhookSecrets(db(), NO_KEY_ON_POSTGRES);
    await expect(pass).rejects.toBeInstanceOf(ValidationError);
    await expect(pass).rejects.toThrow(/FLEETPIN_SECRET_KEY/);
    expect(await secrets()).toEqual(before);
  });
});
