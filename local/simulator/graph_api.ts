// The simulator's Graph API: accepts POST /graph/<phone number id>/messages as Meta does (bearer
// token, JSON body, {"messages":[{"id":"wamid..."}]}), keeps what was sent per recipient, can be
// told to fail the next sends (429, 5xx, 131047), and reports statuses back through the webhook.
import { wamid } from "./meta.ts";

export interface ChatItem {
  seq: number;
  from: "customer" | "bot";
  waMessageId: string;
  at: number;
  kind: string;
  text: string;
  buttons?: { id: string; title: string }[];
  list?: { button: string; rows: { id: string; title: string; description?: string }[] };
  status?: string;
}

export interface PlannedFailure {
  status: number;
  code: number;
  title?: string;
  /** Puts the received Authorization header into the error text (tests prove it is scrubbed). */
  echoAuthorization?: boolean;
}

export interface GraphRequest {
  to: string;
  at: number;
  answeredStatus: number;
  body: Record<string, unknown>;
}

const FAILURE_TITLES: Record<number, string> = {
  130429: "Rate limit hit",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
  131047: "Re-engagement message",
  131000: "Something went wrong",
};

export class GraphApi {
  readonly chats = new Map<string, ChatItem[]>();
  readonly requests: GraphRequest[] = [];
  private readonly failures = new Map<string, PlannedFailure[]>();
  private seq = 0;

  constructor(
    private readonly accessToken: string,
    private readonly reportStatus: (to: string, waMessageId: string, status: string) => void,
  ) {}

  chat(address: string): ChatItem[] {
    let items = this.chats.get(address);
    if (!items) this.chats.set(address, items = []);
    return items;
  }

  addCustomerMessage(address: string, item: Omit<ChatItem, "seq" | "from" | "at">): ChatItem {
    const entry: ChatItem = { ...item, seq: ++this.seq, from: "customer", at: Date.now() };
    this.chat(address).push(entry);
    return entry;
  }

  /** The next sends to `address` ("*": to anyone) fail as planned, in order. */
  planFailures(address: string, failures: PlannedFailure[]): void {
    this.failures.set(address, [...(this.failures.get(address) ?? []), ...failures]);
  }

  private nextFailure(address: string): PlannedFailure | undefined {
    return this.failures.get(address)?.shift() ?? this.failures.get("*")?.shift();
  }

  async handle(req: Request): Promise<Response> {
    const auth = req.headers.get("authorization") ?? "";
    if (auth !== `Bearer ${this.accessToken}`) {
      return Response.json({
        error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 },
      }, { status: 401 });
    }
    let body: Record<string, unknown>;
    try {
      body = await req.json();
    } catch {
      return Response.json({ error: { message: "Invalid JSON", code: 100 } }, { status: 400 });
    }
    const to = String(body.to ?? body.recipient ?? "");
    const failure = this.nextFailure(to);
    const answeredStatus = failure?.status ?? 200;
    this.requests.push({ to, at: Date.now(), answeredStatus, body });
    if (failure) {
      const title = (failure.title ?? FAILURE_TITLES[failure.code] ?? "Error") +
        (failure.echoAuthorization ? ` (request had ${auth})` : "");
      return Response.json(
        {
          error: { message: title, type: "OAuthException", code: failure.code, fbtrace_id: "sim" },
        },
        { status: failure.status },
      );
    }
    const id = wamid();
    this.chat(to).push({
      seq: ++this.seq,
      from: "bot",
      waMessageId: id,
      at: Date.now(),
      ...describe(body),
    });
    queueMicrotask(() => {
      this.reportStatus(to, id, "sent");
      this.reportStatus(to, id, "delivered");
    });
    return Response.json({
      messaging_product: "whatsapp",
      contacts: [{ input: to, wa_id: to.replace(/^\+/, "") }],
      messages: [{ id }],
    });
  }
}

type Interactive = {
  type?: string;
  body?: { text?: string };
  action?: {
    buttons?: { reply: { id: string; title: string } }[];
    button?: string;
    sections?: { rows: { id: string; title: string; description?: string }[] }[];
  };
};

function describe(
  body: Record<string, unknown>,
): Pick<ChatItem, "kind" | "text" | "buttons" | "list"> {
  if (body.type === "text") {
    return { kind: "text", text: String((body.text as { body?: string })?.body ?? "") };
  }
  if (body.type === "interactive") {
    const i = body.interactive as Interactive;
    if (i.type === "button") {
      return {
        kind: "buttons",
        text: i.body?.text ?? "",
        buttons: (i.action?.buttons ?? []).map((b) => b.reply),
      };
    }
    return {
      kind: "list",
      text: i.body?.text ?? "",
      list: {
        button: i.action?.button ?? "",
        rows: (i.action?.sections ?? []).flatMap((s) => s.rows),
      },
    };
  }
  if (body.type === "template") {
    const t = body.template as { name?: string };
    return { kind: "template", text: `[template ${t?.name ?? "?"}]` };
  }
  return { kind: String(body.type), text: "" };
}
