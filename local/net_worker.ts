// Local stand-in for pg_net's background worker: takes queued requests from
// net.http_request_queue, sends them, and records each answer in net._http_response.
import postgres from "postgres";
import { z } from "zod";

const { SUPABASE_DB_URL } = z.object({
  SUPABASE_DB_URL: z.string().regex(
    /^postgres(ql)?:\/\//,
    "SUPABASE_DB_URL must be a postgres URL",
  ),
}).parse(Deno.env.toObject());

const sql = postgres(SUPABASE_DB_URL, { max: 2, onnotice: () => {} });

type Queued = {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  timeout_milliseconds: number;
};

async function send(request: Queued) {
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ? new Uint8Array(request.body) : undefined,
      signal: AbortSignal.timeout(request.timeout_milliseconds),
    });
    const content = await res.text();
    await sql`insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
      values (${request.id}, ${res.status}, ${res.headers.get("content-type")},
              ${sql.json(Object.fromEntries(res.headers))}, ${content}, false)`;
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    const message = timedOut ? "Timeout was reached" : "Couldn't connect to server";
    await sql`insert into net._http_response (id, timed_out, error_msg)
      values (${request.id}, ${timedOut}, ${message})`;
  }
}

let draining = false;
async function drain() {
  if (draining) return;
  draining = true;
  try {
    while (true) {
      const batch = await sql<Queued[]>`
        delete from net.http_request_queue
        where id in (select id from net.http_request_queue order by id limit 20 for update skip locked)
        returning id, method::text, url, headers, body, timeout_milliseconds`;
      if (batch.length === 0) break;
      await Promise.all(batch.map(send));
    }
  } catch (error) {
    console.error(`net worker: ${error instanceof Error ? error.message : error}`);
  } finally {
    draining = false;
  }
}

await sql.listen("net_http_request_queue", () => drain());
setInterval(drain, 1000);
console.log("net worker: sending queued net.http_* requests");
await drain();
