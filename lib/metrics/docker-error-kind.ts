/** The `kind` label of fleetpin_docker_errors_total, from the HTTP status the daemon answered (if any) and the transport code. */
export function dockerErrorKind(status: number | undefined, code: string | undefined): string {
  if (status === undefined) return code ? "unreachable" : "other";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 304) return "not_modified";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "other";
}
