import "server-only";

import { registryConfig } from "@/lib/config";

import { RegistryAuthError, RegistryResponseError, type RegistryTarget } from "./errors";
import { parseWwwAuthenticate, registryScheme, type RegistryCredentials } from "./http";
import { discard, readJson, responseError } from "./response";
import type { RegistryRequest, RegistryTransport } from "./transport";

type Bearer = { realm: string; service: string | undefined };
type CachedToken = { token: string; expiresAt: number };

/**
 * Authentication against one registry host: anonymous, basic, or bearer tokens from the realm
 * the host's challenge names. Learns from the first 401 which scheme the host wants and sends
 * it up front from then on; tokens are cached per realm + service + scope.
 * Credentials go only to an https realm, or to a plain-HTTP one on loopback or on a host listed
 * in FLEETPIN_INSECURE_REGISTRIES, as the Docker client does: the realm is whatever the registry
 * names, and plain HTTP elsewhere would hand the password to anyone on the path (#13 item 10).
 */
export class RegistryAuth {
  readonly #transport: RegistryTransport;
  readonly #credentials: RegistryCredentials | undefined;
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pendingTokens = new Map<string, Promise<string>>();
  #basic = false; // the host answered with a Basic challenge: send credentials up front
  #bearer: Bearer | undefined; // the host's token realm, once seen

  readonly #insecureRegistries: readonly string[];

  /** `insecureRegistries` defaults to FLEETPIN_INSECURE_REGISTRIES, the list the registry's own scheme comes from. */
  constructor(
    transport: RegistryTransport,
    credentials: RegistryCredentials | undefined,
    insecureRegistries: readonly string[] = registryConfig().insecureRegistries,
  ) {
    this.#transport = transport;
    this.#credentials = credentials;
    this.#insecureRegistries = insecureRegistries;
  }

  /**
   * Sends with the auth the host is known to want; on a 401 answers its challenge and retries once.
   * A final 401 or 403 is a RegistryAuthError saying whether credentials are missing or refused.
   */
  async send(request: RegistryRequest): Promise<Response> {
    let authorization = await this.#knownAuthorization(request);
    for (let challenged = false; ; challenged = true) {
      const response = await this.#transport.send(request, authorization);
      if (response.status === 401 && !challenged) {
        await discard(response);
        authorization = await this.#answerChallenge(response.headers.get("www-authenticate"), request);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await discard(response);
        const reason = !this.#credentials
          ? "anonymous access is not allowed; configure registry credentials"
          : response.status === 401
            ? "the configured credentials were rejected"
            : "the configured credentials do not grant pull access";
        throw new RegistryAuthError(request.target, reason, response.status);
      }
      return response;
    }
  }

  async #knownAuthorization(request: RegistryRequest): Promise<string | undefined> {
    if (this.#basic) return this.#basicHeader();
    if (this.#bearer) return `Bearer ${await this.#token(this.#bearer, request.scope ?? "", false, request.target)}`;
    return undefined;
  }

  async #answerChallenge(header: string | null, request: RegistryRequest): Promise<string> {
    const challenges = parseWwwAuthenticate(header);
    const bearer = challenges.find((c) => c.scheme === "bearer" && c.params.realm);
    if (bearer) {
      this.#bearer = { realm: bearer.params.realm!, service: bearer.params.service };
      const scope = bearer.params.scope ?? request.scope ?? "";
      return `Bearer ${await this.#token(this.#bearer, scope, true, request.target)}`;
    }
    if (challenges.some((c) => c.scheme === "basic")) {
      if (!this.#credentials) {
        throw new RegistryAuthError(request.target, "the registry requires credentials and none are configured", 401);
      }
      this.#basic = true;
      return this.#basicHeader();
    }
    const what = challenges[0] ? `an unsupported "${challenges[0].scheme}" challenge` : "no WWW-Authenticate challenge";
    throw new RegistryAuthError(request.target, `the registry answered 401 with ${what}`, 401);
  }

  #basicHeader(): string {
    const { username, password } = this.#credentials!;
    return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }

  // One token per realm + service + scope, shared by concurrent callers, kept until shortly
  // before `expires_in` runs out.
  async #token(bearer: Bearer, scope: string, fresh: boolean, target: RegistryTarget): Promise<string> {
    const key = `${bearer.realm} ${bearer.service ?? ""} ${scope}`;
    const cached = this.#tokens.get(key);
    if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token;
    let pending = this.#pendingTokens.get(key);
    if (!pending) {
      pending = this.#fetchToken(key, bearer, scope, target).finally(() => this.#pendingTokens.delete(key));
      this.#pendingTokens.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(key: string, bearer: Bearer, scope: string, target: RegistryTarget): Promise<string> {
    let url: URL;
    try {
      url = new URL(bearer.realm);
    } catch {
      url = new URL("invalid:");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new RegistryResponseError(
        target,
        401,
        `the token realm "${bearer.realm.slice(0, 200)}" is not an http(s) URL`,
      );
    }
    if (
      this.#credentials &&
      url.protocol === "http:" &&
      registryScheme(url.host, this.#insecureRegistries) !== "http"
    ) {
      throw new RegistryAuthError(
        target,
        `the token realm ${url.origin} is plain HTTP on a host that is neither loopback nor listed in FLEETPIN_INSECURE_REGISTRIES; the credentials are not sent there`,
        401,
      );
    }
    if (bearer.service) url.searchParams.set("service", bearer.service);
    for (const item of scope.split(" ").filter(Boolean)) url.searchParams.append("scope", item);
    if (this.#credentials) url.searchParams.set("account", this.#credentials.username);
    const tokenRequest: RegistryRequest = { method: "GET", url: url.toString(), accept: "application/json", target };
    const response = await this.#transport.send(tokenRequest, this.#credentials ? this.#basicHeader() : undefined);
    if (response.status === 401 || response.status === 403) {
      await discard(response);
      const reason = this.#credentials
        ? `the token server ${url.host} rejected the configured credentials`
        : `the token server ${url.host} refused an anonymous token; configure registry credentials`;
      throw new RegistryAuthError(target, reason, response.status);
    }
    if (response.status !== 200) throw await responseError(response, target, `token request to ${url.host}`);
    const body = (await readJson(response, target)) as {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
    } | null;
    const token = typeof body?.token === "string" && body.token ? body.token : body?.access_token;
    if (typeof token !== "string" || token === "") {
      throw new RegistryResponseError(target, 200, `the token server ${url.host} returned no token`);
    }
    const lifetime = typeof body?.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 60;
    const margin = Math.min(10, lifetime * 0.2);
    this.#tokens.set(key, { token, expiresAt: Date.now() + (lifetime - margin) * 1000 });
    return token;
  }
}
