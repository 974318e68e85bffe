// npm run chat — the chat simulator in a terminal: write as a customer of the running `npm start`
// stack; the bot's buttons and list rows are numbered, type the number to tap one.
// Usage: npm run chat -- [+41791110001]
import { z } from "zod";

const { SIM_PORT } = z.object({ SIM_PORT: z.coerce.number().int().min(1).max(65535) })
  .parse(Deno.env.toObject());
const base = `http://127.0.0.1:${SIM_PORT}`;
const address = Deno.args[0] ?? "+41791110004";
if (!/^\+[1-9][0-9]{6,14}$/.test(address)) {
  console.error("usage: npm run chat -- +41791234567");
  Deno.exit(2);
}

interface Item {
  seq: number;
  from: string;
  text: string;
  waMessageId: string;
  buttons?: { id: string; title: string }[];
  list?: { button: string; rows: { id: string; title: string; description?: string }[] };
}

let after = 0;
let choices: { type: "button_reply" | "list_reply"; id: string; title: string; context: string }[] =
  [];

async function poll() {
  const res = await fetch(
    `${base}/api/chat?address=${encodeURIComponent(address)}&after=${after}&read=1`,
  );
  for (const item of (await res.json()) as Item[]) {
    after = Math.max(after, item.seq);
    if (item.from !== "bot") continue;
    console.log(`\nbot: ${item.text}`);
    const offered = [
      ...(item.buttons ?? []).map((b) => ({ type: "button_reply" as const, ...b })),
      ...(item.list?.rows ?? []).map((r) => ({
        type: "list_reply" as const,
        id: r.id,
        title: r.title,
      })),
    ];
    if (offered.length > 0) {
      choices = offered.map((c) => ({ ...c, context: item.waMessageId }));
      choices.forEach((c, i) => console.log(`  [${i + 1}] ${c.title}`));
    }
  }
}

async function send(line: string) {
  const n = Number(line);
  const choice = Number.isInteger(n) && n >= 1 ? choices[n - 1] : undefined;
  const body = choice ? { address, reply: choice } : { address, text: line };
  const res = await fetch(`${base}/api/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (answer.webhookStatus !== 200) console.log(`(webhook answered ${answer.webhookStatus})`);
}

console.log(`Writing as ${address} (Ctrl-D to quit). Numbers tap the bot's buttons.`);
await poll();
const timer = setInterval(() => poll().catch(() => {}), 700);
const decoder = new TextDecoder();
let buffer = "";
for await (const chunk of Deno.stdin.readable) {
  buffer += decoder.decode(chunk, { stream: true });
  let newline;
  while ((newline = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, newline).trim();
    buffer = buffer.slice(newline + 1);
    if (line) await send(line);
  }
}
clearInterval(timer);
