// Local SMTP server that keeps what it receives (the role Inbucket plays in `supabase start`),
// so alert mails can be read back: SMTP on SMTP_PORT, the mailbox over HTTP on MAILBOX_PORT.
//   GET  /mails            every mail received (JSON: from, to, subject, text, receivedAt)
//   DELETE /mails          empty the mailbox
//   POST /fail-next?count=N the next N mails are refused with a temporary error (451), as a
//                          real server under trouble would, so retries can be tested
// Mails are appended to MAILBOX_FILE, so a restart keeps them. Local only: any login is accepted.
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { z } from "zod";

const env = z.object({
  SMTP_PORT: z.coerce.number().int().min(1).max(65535),
  MAILBOX_PORT: z.coerce.number().int().min(1).max(65535),
  MAILBOX_FILE: z.string().min(1).optional(),
}).parse(Deno.env.toObject());

type Mail = {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
};

const mails: Mail[] = [];
if (env.MAILBOX_FILE) {
  try {
    for (const line of (await Deno.readTextFile(env.MAILBOX_FILE)).split("\n")) {
      if (line.trim()) mails.push(JSON.parse(line));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
let failNext = 0;

class TemporaryFailure extends Error {
  responseCode = 451;
}

const smtp = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  size: 10 * 1024 * 1024,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username ?? "local" });
  },
  onData(stream, session, callback) {
    if (failNext > 0) {
      failNext--;
      stream.resume();
      stream.on("end", () => callback(new TemporaryFailure("mailbox busy, try again later")));
      return;
    }
    simpleParser(stream).then(async (parsed) => {
      const mail: Mail = {
        id: mails.length + 1,
        receivedAt: new Date().toISOString(),
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        subject: parsed.subject ?? "",
        text: parsed.text ?? "",
      };
      mails.push(mail);
      if (env.MAILBOX_FILE) {
        await Deno.writeTextFile(env.MAILBOX_FILE, JSON.stringify(mail) + "\n", { append: true });
      }
      callback();
    }).catch((error) => callback(error));
  },
});
smtp.listen(env.SMTP_PORT, "127.0.0.1");

Deno.serve({ hostname: "127.0.0.1", port: env.MAILBOX_PORT, onListen: () => {} }, (req) => {
  const url = new URL(req.url);
  if (url.pathname === "/mails" && req.method === "GET") return Response.json(mails);
  if (url.pathname === "/mails" && req.method === "DELETE") {
    mails.length = 0;
    if (env.MAILBOX_FILE) Deno.writeTextFileSync(env.MAILBOX_FILE, "");
    return new Response(null, { status: 204 });
  }
  if (url.pathname === "/fail-next" && req.method === "POST") {
    failNext = z.coerce.number().int().min(0).max(100).catch(1).parse(
      url.searchParams.get("count"),
    );
    return Response.json({ failNext });
  }
  return new Response("GET /mails, DELETE /mails, POST /fail-next?count=N\n", { status: 404 });
});
console.log(
  `mail server: SMTP 127.0.0.1:${env.SMTP_PORT}, mailbox http://127.0.0.1:${env.MAILBOX_PORT}/mails`,
);
