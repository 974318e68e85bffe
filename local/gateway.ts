// Local edge-function gateway: serves every folder of supabase/functions (but _shared) at
// /functions/v1/<name>, and checks the JWT where config.toml says verify_jwt (default true),
// as Supabase's gateway does. Local stack only; hosted Supabase has its own.
import { jwtVerify } from "jose";
import { z } from "zod";
import { verifyJwtSettings } from "./gateway_config.ts";

const gatewayEnv = z.object({
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535),
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters"),
}).parse(Deno.env.toObject());

const functionsDir = new URL("../supabase/functions/", import.meta.url);
const configUrl = new URL("../supabase/config.toml", import.meta.url);

type Handler = (req: Request) => Response | Promise<Response>;

async function functionNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(functionsDir)) {
    if (entry.isDirectory && !entry.name.startsWith("_") && !entry.name.startsWith(".")) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

// Supabase's edge runtime offers EdgeRuntime.waitUntil(promise): work that goes on after the
// response. This gateway is one long-lived process, so the promise simply runs on; a failure is
// logged by kind only (its message may carry data).
(globalThis as { EdgeRuntime?: unknown }).EdgeRuntime ??= {
  waitUntil(task: Promise<unknown>) {
    task.catch((e) => console.error(`gateway: background task failed (${e?.name ?? "error"})`));
  },
};

const secret = new TextEncoder().encode(gatewayEnv.JWT_SECRET);
const verifyJwt = verifyJwtSettings(await Deno.readTextFile(configUrl));
const names = new Set(await functionNames());
const handlers = new Map<string, Handler>();

async function loadHandler(name: string): Promise<Handler> {
  let handler = handlers.get(name);
  if (!handler) {
    const mod = await import(new URL(`${name}/index.ts`, functionsDir).href);
    if (typeof mod.handler !== "function") {
      throw new Error(`supabase/functions/${name}/index.ts does not export a handler`);
    }
    handler = mod.handler as Handler;
    handlers.set(name, handler);
  }
  return handler;
}

function reply(status: number, message: string): Response {
  return Response.json({ code: status, message }, { status });
}

async function authorized(req: Request): Promise<Response | null> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return reply(401, "Missing authorization header");
  try {
    await jwtVerify(match[1], secret, { algorithms: ["HS256"] });
    return null;
  } catch {
    return reply(401, "Invalid JWT");
  }
}

async function route(req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  const match = /^\/functions\/v1\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(pathname);
  if (!match || !names.has(match[1])) return reply(404, "Function not found");
  const name = match[1];
  if (verifyJwt.get(name) ?? true) {
    const denied = await authorized(req);
    if (denied) return denied;
  }
  return (await loadHandler(name))(req);
}

Deno.serve({
  hostname: "127.0.0.1",
  port: gatewayEnv.GATEWAY_PORT,
  onListen: ({ port }) =>
    console.log(`gateway: functions on http://127.0.0.1:${port}/functions/v1/`),
}, async (req) => {
  const started = performance.now();
  let res: Response;
  try {
    res = await route(req);
  } catch (error) {
    console.error(`gateway: ${error instanceof Error ? error.name : "error"} in handler`);
    res = reply(500, "Function failed");
  }
  // Path only: query strings can carry tokens.
  const { pathname } = new URL(req.url);
  console.log(
    `gateway: ${req.method} ${pathname} ${res.status} ${Math.round(performance.now() - started)}ms`,
  );
  return res;
});
