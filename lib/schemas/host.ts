import { z } from "zod";

import { plainText } from "./fields";

/**
 * Docker hosts: what `POST /api/v1/hosts` and the Settings → Docker hosts form take. The API
 * body is JSON (`hostInputSchema`); the form posts text fields (`hostFormSchema`), which parse
 * to the same shape. TLS material is PEM, as the Docker CLI's --tlscacert/--tlscert/--tlskey.
 */

/** Same rule as the CHECK in the migration: lowercase, digits, dot, dash, underscore; 1–63 long. */
export const HOST_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const LOCAL_HOST_NAME = "local";
export const MAX_HOST_CONCURRENCY = 32;
export const DEFAULT_HOST_CONCURRENCY = 4;
const MAX_LABELS = 32;
const MAX_PEM_CHARS = 64 * 1024;

export const hostNameSchema = z.string({ error: "Give the host a name." }).trim().regex(HOST_NAME_PATTERN, {
  error: "Host names are 1–63 lowercase letters, digits, '.', '-' or '_', starting with a letter or digit.",
});

/** `unix:///absolute/path` or `tcp://host:port`, as DOCKER_HOST takes them. */
export const endpointSchema = plainText({ error: "Give the engine's endpoint." })
  .trim()
  .max(512, { error: "Endpoints are at most 512 characters." })
  .refine((value) => endpointProblem(value) === null, {
    error: "Use unix:///path/to/docker.sock or tcp://host:port (with the port).",
  })
  .transform(normalizeEndpoint);

/** Why an endpoint is not one we take, or null. */
export function endpointProblem(value: string): string | null {
  if (/^unix:\/\/\/\S+$/.test(value)) return null;
  const match = /^tcp:\/\/([^/?#\s]+)\/?$/.exec(value);
  if (!match) return "not unix:// or tcp://";
  try {
    const url = new URL(`tcp://${match[1]}`);
    if (!url.hostname || url.username || url.password) return "no host, or credentials in the URL";
    // No default port: the Docker CLI picks 2375 or 2376 by TLS, and one spelling per engine matters here.
    if (!url.port) return "no port";
    return null;
  } catch {
    return "not a valid address";
  }
}

/** One spelling per endpoint, so the unique index catches one engine registered twice. */
export function normalizeEndpoint(value: string): string {
  if (value.startsWith("unix://")) return value;
  const url = new URL(value.replace(/\/$/, ""));
  return `tcp://${url.hostname.toLowerCase()}:${url.port}`;
}

const labelKeySchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/, {
  error: "Label names are letters, digits, '.', '_', '/' or '-', at most 63.",
});
const labelValueSchema = plainText().trim().max(128, { error: "Label values are at most 128 characters." });

export const labelsSchema = z
  .record(labelKeySchema, labelValueSchema)
  .refine((labels) => Object.keys(labels).length <= MAX_LABELS, { error: `At most ${MAX_LABELS} labels.` });

const pem = (kind: RegExp, what: string) =>
  z
    .string({ error: `Paste the ${what} in PEM.` })
    .trim()
    .max(MAX_PEM_CHARS, { error: `The ${what} is longer than ${MAX_PEM_CHARS} characters.` })
    .refine((value) => kind.test(value), { error: `The ${what} is not PEM (-----BEGIN …-----).` })
    .transform((value) => `${value}\n`);

/** All three or none: a TLS engine wants the CA to check it and a client certificate to let us in. */
export const tlsSchema = z.object({
  ca: pem(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, "CA certificate"),
  cert: pem(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, "client certificate"),
  key: pem(/^-----BEGIN ([A-Z]+ )?PRIVATE KEY-----[\s\S]+-----END ([A-Z]+ )?PRIVATE KEY-----$/, "client key"),
});
export type HostTls = z.infer<typeof tlsSchema>;

const concurrencySchema = z.coerce
  .number({ error: "Concurrency is a whole number." })
  .int({ error: "Concurrency is a whole number." })
  .min(1, { error: "Concurrency is at least 1." })
  .max(MAX_HOST_CONCURRENCY, { error: `Concurrency is at most ${MAX_HOST_CONCURRENCY}.` });

const tlsOnlyOverTcp = (value: { endpoint: string; tls?: HostTls | null }) =>
  !(value.tls && value.endpoint.startsWith("unix://"));
const TLS_OVER_UNIX = { error: "TLS material is for tcp:// endpoints; a unix socket has none.", path: ["tls"] };

/** `POST /api/v1/hosts` body: `{name, endpoint, labels, concurrency, tls: {ca, cert, key}}`. */
export const hostInputSchema = z
  .object({
    name: hostNameSchema,
    endpoint: endpointSchema,
    labels: labelsSchema.default({}),
    concurrency: concurrencySchema.default(DEFAULT_HOST_CONCURRENCY),
    tls: tlsSchema.nullable().optional(),
  })
  .refine(tlsOnlyOverTcp, TLS_OVER_UNIX);
export type HostInput = z.infer<typeof hostInputSchema>;

/** An edit: everything but the name; `tls` undefined keeps what is stored, null removes it. */
export const hostUpdateSchema = z
  .object({
    endpoint: endpointSchema,
    labels: labelsSchema.default({}),
    concurrency: concurrencySchema.default(DEFAULT_HOST_CONCURRENCY),
    tls: tlsSchema.nullable().optional(),
  })
  .refine(tlsOnlyOverTcp, TLS_OVER_UNIX);
export type HostUpdate = z.infer<typeof hostUpdateSchema>;

/** `DELETE /api/v1/hosts/{name}` path segment. */
export const hostNameParamSchema = z.object({ name: hostNameSchema });

/** `GET /api/v1/hosts` query: an optional label filter `label=region=eu`. */
export const hostListQuerySchema = z.object({
  label: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(
      z
        .string()
        .regex(/^[^=]+=.*$/, { error: "label is name=value." })
        .optional(),
    ),
});

/** `region=eu, tier=gpu` (commas or new lines) → a labels object; the form's text field. */
export function labelsFromText(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(/[,\n]/)) {
    const trimmed = part.trim();
    if (trimmed === "") continue;
    const at = trimmed.indexOf("=");
    labels[(at < 0 ? trimmed : trimmed.slice(0, at)).trim()] = at < 0 ? "" : trimmed.slice(at + 1).trim();
  }
  return labels;
}

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/**
 * The settings form: labels as text, TLS as three text areas (all blank = keep what is stored
 * on edit, none on add), `removeTls=on` drops it.
 */
export const hostFormSchema = z
  .object({
    mode: z.enum(["add", "edit"]),
    name: hostNameSchema,
    endpoint: z.string(),
    labels: z.string().default(""),
    concurrency: z.string().default(String(DEFAULT_HOST_CONCURRENCY)),
    tlsCa: z.preprocess(blankToUndefined, z.string().optional()),
    tlsCert: z.preprocess(blankToUndefined, z.string().optional()),
    tlsKey: z.preprocess(blankToUndefined, z.string().optional()),
    removeTls: z.string().optional(),
  })
  .transform((form, ctx) => {
    const anyTls = form.tlsCa !== undefined || form.tlsCert !== undefined || form.tlsKey !== undefined;
    const tls =
      form.removeTls === "on" ? null : anyTls ? { ca: form.tlsCa, cert: form.tlsCert, key: form.tlsKey } : undefined;
    const parsed = hostUpdateSchema.safeParse({
      endpoint: form.endpoint,
      labels: labelsFromText(form.labels),
      concurrency: form.concurrency,
      tls,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: formPath(issue.path) } as never);
      return z.NEVER;
    }
    return { mode: form.mode, name: form.name, ...parsed.data };
  });

// Nested issues (tls.key) land on the form field that holds them (tlsKey).
function formPath(path: PropertyKey[]): PropertyKey[] {
  if (path[0] !== "tls") return path;
  const field = path[1];
  return [field === "ca" ? "tlsCa" : field === "cert" ? "tlsCert" : field === "key" ? "tlsKey" : "tlsCa"];
}

/** What `GET /api/v1/hosts` returns per host (HostView / HostReachability): never the TLS material, only whether there is some. */
export const hostViewSchema = z.object({
  name: z.string(),
  endpoint: z.string(),
  labels: z.record(z.string(), z.string()),
  concurrency: z.number().int(),
  tls: z.boolean(),
  createdBy: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Present when the route probed the hosts (probeHosts). */
  reachable: z.boolean().optional(),
  error: z.string().nullable().optional(),
});
export type HostViewOutput = z.infer<typeof hostViewSchema>;
