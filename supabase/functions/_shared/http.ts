// Small response helpers shared by every function.
import { z } from "zod";

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** A client error whose message is safe to show (no secrets, no internals). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly details?: unknown) {
    super(message);
  }
}

/** Parses a JSON request body with a zod schema; a bad body is a 400 that says what is wrong. */
export async function readJson<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    const text = await req.text();
    raw = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpError(
      400,
      "Invalid request body",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return parsed.data;
}

/**
 * Wraps a handler so that an HttpError becomes its response and anything else becomes a
 * generic 500: internal messages can carry connection strings or URLs, so they stay out of
 * responses and logs.
 */
export function withErrors(
  name: string,
  fn: (req: Request) => Promise<Response>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      return await fn(req);
    } catch (error) {
      if (error instanceof HttpError) {
        return json({ error: error.message, details: error.details }, error.status);
      }
      const kind = error instanceof Error ? error.name : "unknown";
      console.error(`[${name}] request failed (${kind})`);
      return json({ error: "Internal error" }, 500);
    }
  };
}
