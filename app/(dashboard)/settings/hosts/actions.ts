"use server";

import { defineAction } from "@/lib/auth/define-action";
import { getDb } from "@/lib/db/client";
import { addHost, deleteHost, updateHost } from "@/lib/hosts/hosts";
import { reslotHostQuietly } from "@/lib/operations/queue/reslot-host";
import { hostFormSchema, hostNameParamSchema } from "@/lib/schemas/host";

/** Add a Docker host, or edit one (the form's `mode`); TLS fields left blank on edit keep what is stored. */
export const saveHostAction = defineAction({
  name: "saveHostAction",
  role: "operator",
  schema: hostFormSchema,
  run: async ({ mode, name, ...fields }, user) => {
    const db = await getDb();
    const host =
      mode === "add"
        ? await addHost(db, { name, ...fields }, user.email)
        : await updateHost(db, name, fields, user.email);
    // Items of running operations waiting for this host move to the slots of its new concurrency.
    if (mode !== "add") await reslotHostQuietly(host.name);
    return { name: host.name };
  },
  revalidate: ["/settings/hosts", "/workspaces", "/stale", "/audit"],
});

/** Unregister a Docker host (refused while live workspaces are on it). */
export const deleteHostAction = defineAction({
  name: "deleteHostAction",
  role: "operator",
  schema: hostNameParamSchema,
  run: async ({ name }, user) => {
    await deleteHost(await getDb(), name, user.email);
    return { name };
  },
  revalidate: ["/settings/hosts", "/audit"],
});
