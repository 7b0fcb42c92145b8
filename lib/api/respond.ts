import { PROBLEM_CONTENT_TYPE, type Problem } from "./problem";

// API answers are about live state and may carry operation ids: never cached by anyone.
const BASE_HEADERS = { "Cache-Control": "no-store" };

/** A JSON answer. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...BASE_HEADERS, "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/** An RFC 9457 problem answer. */
export function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { ...BASE_HEADERS, "Content-Type": PROBLEM_CONTENT_TYPE, ...headers },
  });
}
