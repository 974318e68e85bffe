// What an unexpected error may tell the log: its class, Postgres's SQLSTATE and our own safe
// messages. Never the raw message of anything else, which can quote a URL, a connection string
// or a secret.
import { FeedError } from "./feed_error.ts";

export function describeError(error: unknown): string {
  if (error instanceof FeedError) return error.message;
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)
    ? `${name} (SQLSTATE ${code})`
    : name;
}
