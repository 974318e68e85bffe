// Local stand-in for team members' calendar providers in the demo: serves local/demo-feeds/*.ics
// at /feeds/<name>.ics with an ETag and 304s, as a real iCal host does.
import { z } from "zod";

const { FEED_PORT } = z.object({ FEED_PORT: z.coerce.number().int().min(1).max(65535) }).parse(
  Deno.env.toObject(),
);
const feeds = new URL("./demo-feeds/", import.meta.url);

async function etagOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
  return `"${Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

Deno.serve({
  hostname: "127.0.0.1",
  port: FEED_PORT,
  onListen: ({ port }) => console.log(`feeds: demo calendars on http://127.0.0.1:${port}/feeds/`),
}, async (req) => {
  const match = /^\/feeds\/([a-z0-9-]+\.ics)$/.exec(new URL(req.url).pathname);
  if (!match) return new Response("not found", { status: 404 });
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(new URL(match[1], feeds)) as Uint8Array<ArrayBuffer>;
  } catch {
    return new Response("not found", { status: 404 });
  }
  const etag = await etagOf(bytes);
  if (req.headers.get("if-none-match") === etag) {
    return new Response(null, { status: 304, headers: { etag } });
  }
  return new Response(bytes, { headers: { etag, "content-type": "text/calendar; charset=utf-8" } });
});
