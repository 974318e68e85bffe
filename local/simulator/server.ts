// Local WhatsApp chat simulator (npm start): plays Meta's two roles against the real function.
//  - the phone: a chat page where you write as a customer; each message becomes a webhook with a
//    Meta message id and timestamp, signed with the app secret, posted to whatsapp-webhook;
//  - the Graph API (WHATSAPP_GRAPH_URL points here): receives the bot's messages, shows them on
//    the page with their buttons and lists, reports sent/delivered/read statuses, and can be
//    told to fail the next sends (429, 5xx, 131047) to show retries.
// Local stack only.
import postgres from "postgres";
import { z } from "zod";
import { type ChatItem, GraphApi, type PlannedFailure } from "./graph_api.ts";
import { envelope, inboundMessage, messagesValue, postSigned, statusValue, wamid } from "./meta.ts";

const env = z.object({
  SIM_PORT: z.coerce.number().int().min(1).max(65535),
  SUPABASE_URL: z.string().regex(/^https?:\/\//),
  SUPABASE_DB_URL: z.string().regex(/^postgres(ql)?:\/\//),
  WHATSAPP_APP_SECRET: z.string().min(8),
  WHATSAPP_ACCESS_TOKEN: z.string().min(16),
}).parse(Deno.env.toObject());

const webhookUrl = `${env.SUPABASE_URL}/functions/v1/whatsapp-webhook`;
const sql = postgres(env.SUPABASE_DB_URL, { max: 1, onnotice: () => {} });
const page = await Deno.readTextFile(new URL("./page.html", import.meta.url));

// Statuses go out one after another, like Meta's (their processing order is still not promised).
let statusChain = Promise.resolve();
function reportStatus(to: string, id: string, status: string) {
  statusChain = statusChain.then(async () => {
    const body = JSON.stringify(envelope([[statusValue([{
      id,
      status,
      timestamp: Math.floor(Date.now() / 1000),
      recipient: to.replace(/^\+/, ""),
    }])]]));
    const res = await postSigned(webhookUrl, body, env.WHATSAPP_APP_SECRET).catch(() => null);
    await res?.body?.cancel();
  });
}

const graph = new GraphApi(env.WHATSAPP_ACCESS_TOKEN, reportStatus);

const address = z.string().regex(/^\+[1-9][0-9]{6,14}$/, "a number like +41791234567");
const sendSchema = z.object({
  address,
  name: z.string().max(100).optional(),
  text: z.string().min(1).max(4096).optional(),
  reply: z.object({
    type: z.enum(["button_reply", "list_reply"]),
    id: z.string().min(1).max(256),
    title: z.string().max(100),
    context: z.string().max(256).optional(),
  }).optional(),
}).refine((b) => (b.text === undefined) !== (b.reply === undefined), "text or reply");
const failSchema = z.object({
  address: z.union([address, z.literal("*")]),
  failures: z.array(z.object({
    status: z.number().int().min(400).max(599),
    code: z.number().int(),
    title: z.string().max(200).optional(),
    echoAuthorization: z.boolean().optional(),
  })).max(20),
});

async function send(body: z.infer<typeof sendSchema>): Promise<Response> {
  const waId = body.address.slice(1);
  const id = wamid();
  const content = body.reply
    ? {
      type: body.reply.type,
      id: body.reply.id,
      title: body.reply.title,
      context: body.reply.context,
    }
    : { type: "text" as const, body: body.text! };
  const message = inboundMessage({ waId }, content, Math.floor(Date.now() / 1000), id);
  const payload = JSON.stringify(envelope([[messagesValue({ waId, name: body.name }, [message])]]));
  const res = await postSigned(webhookUrl, payload, env.WHATSAPP_APP_SECRET);
  const answer = await res.text();
  const item: Omit<ChatItem, "seq" | "from" | "at"> = {
    waMessageId: id,
    kind: body.reply ? body.reply.type : "text",
    text: body.reply ? body.reply.title : body.text!,
    status: res.ok ? "delivered" : `webhook answered ${res.status}`,
  };
  graph.addCustomerMessage(body.address, item);
  return Response.json({ webhookStatus: res.status, webhookAnswer: answer.slice(0, 500) });
}

function chatSince(url: URL): Response {
  const chat = graph.chat(url.searchParams.get("address") ?? "");
  const after = Number(url.searchParams.get("after") ?? 0);
  const items = chat.filter((item) => item.seq > after);
  if (url.searchParams.get("read") === "1") {
    for (const item of items) {
      if (item.from === "bot" && item.status !== "read") {
        item.status = "read";
        reportStatus(url.searchParams.get("address")!, item.waMessageId, "read");
      }
    }
  }
  return Response.json(items);
}

async function route(req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (/^\/graph\/[0-9]+\/messages$/.test(url.pathname) && req.method === "POST") {
    return await graph.handle(req);
  }
  switch (`${req.method} ${url.pathname}`) {
    case "GET /":
      return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
    case "GET /api/contacts":
      return Response.json(
        await sql`select name, whatsapp_id as address from public.contacts
          where whatsapp_id is not null order by name limit 50`,
      );
    case "POST /api/send": {
      const parsed = sendSchema.safeParse(await req.json().catch(() => null));
      if (!parsed.success) {
        return Response.json({ error: parsed.error.issues[0].message }, { status: 400 });
      }
      return await send(parsed.data);
    }
    case "GET /api/chat":
      return chatSince(url);
    case "POST /api/fail": {
      const parsed = failSchema.safeParse(await req.json().catch(() => null));
      if (!parsed.success) return Response.json({ error: "bad failure plan" }, { status: 400 });
      graph.planFailures(parsed.data.address, parsed.data.failures as PlannedFailure[]);
      return Response.json({ planned: parsed.data.failures.length });
    }
    case "GET /api/requests": {
      const to = url.searchParams.get("to");
      return Response.json(graph.requests.filter((r) => to === null || r.to === to));
    }
    default:
      return Response.json({ error: "not found" }, { status: 404 });
  }
}

Deno.serve({
  hostname: "127.0.0.1",
  port: env.SIM_PORT,
  onListen: ({ port }) => console.log(`simulator: chat on http://127.0.0.1:${port}/`),
}, async (req) => {
  try {
    return await route(req);
  } catch (error) {
    console.error(`simulator: ${error instanceof Error ? error.name : "error"}`);
    return Response.json({ error: "simulator failed" }, { status: 500 });
  }
});
