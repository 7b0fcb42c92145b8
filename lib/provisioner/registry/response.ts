import "server-only";

import { registryErrorFromResponse, RegistryResponseError, type RegistryError, type RegistryTarget } from "./errors";
import { parseRetryAfter } from "./http";
import { MAX_MANIFEST_BYTES } from "./manifest";

/** Drops a response body we will not read, so the connection can be reused. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** The body's bytes; a RegistryResponseError past `limit`, checked before and after reading. */
export async function readBytes(response: Response, target: RegistryTarget, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await discard(response);
    throw new RegistryResponseError(target, response.status, `the response is larger than ${limit} bytes`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > limit)
    throw new RegistryResponseError(target, response.status, `the response is larger than ${limit} bytes`);
  return bytes;
}

/** The body parsed as JSON (at most MAX_MANIFEST_BYTES); a RegistryResponseError when it is not JSON. */
export async function readJson(response: Response, target: RegistryTarget): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(response, target, MAX_MANIFEST_BYTES));
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistryResponseError(target, response.status, "the response is not valid JSON");
  }
}

/** The typed error for an unexpected status, with the registry's own error codes from the body. */
export async function responseError(response: Response, target: RegistryTarget, what?: string): Promise<RegistryError> {
  const body = response.body ? await response.text().catch(() => "") : "";
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  return registryErrorFromResponse(
    { status: response.status, statusText: response.statusText, body, retryAfterMs },
    target,
    what,
  );
}
