// Shared helpers for Deno tests that run against the local test stack.
import postgres from "postgres";

export function requireEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set: run the tests through \`npm test\``);
  return value;
}

/** A small client on the test database; close it at the end of the test. */
export function testDb(): postgres.Sql {
  return postgres(requireEnv("SUPABASE_DB_URL"), { max: 4, onnotice: () => {} });
}

export function functionsUrl(name: string): string {
  return `${requireEnv("SUPABASE_URL")}/functions/v1/${name}`;
}

/**
 * Polls until fn returns a value other than undefined, or fails after `ms`. For work a background
 * process does (the net worker); the bound is generous so a loaded machine only makes it slower,
 * never changes the outcome.
 */
export async function eventually<T>(fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${ms} ms`);
}
