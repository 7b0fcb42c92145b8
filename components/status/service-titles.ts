/** A headline for a failure code, so every banner about the same outage reads the same. */
export function failureTitle(code: string): string {
  if (code === "database_unavailable") return "The database is unreachable";
  if (code === "docker_unavailable") return "Docker is unreachable";
  if (code === "docker_error") return "Docker reported an error";
  if (code === "registry_unreachable") return "The registry is unreachable";
  if (code.startsWith("registry_")) return "The registry refused the request";
  if (code === "unauthenticated") return "Your session has ended";
  if (code === "forbidden") return "Not allowed";
  return "Could not load this section";
}
