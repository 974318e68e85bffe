// Role checks inside functions. The gateway (verify_jwt) has already checked the signature;
// this decides whether that verified token is allowed here.
import { decodeJwt } from "jose";
import { HttpError } from "./http.ts";

export function jwtRole(req: Request): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!match) return undefined;
  try {
    const role = decodeJwt(match[1]).role;
    return typeof role === "string" ? role : undefined;
  } catch {
    return undefined;
  }
}

/** Only the service role (pg_cron, other functions) may call internal jobs. */
export function requireServiceRole(req: Request): void {
  if (jwtRole(req) !== "service_role") {
    throw new HttpError(403, "This function needs the service role key");
  }
}
