// Reads a request body up to a limit: the declared Content-Length is checked first, then the bytes
// actually read (a sender may lie or stream without a length). Over the limit: 413.
import { HttpError } from "../http.ts";

export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

export async function readBodyLimited(
  req: Request,
  maxBytes = MAX_WEBHOOK_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = req.headers.get("content-length");
  if (declared !== null) {
    if (!/^[0-9]{1,15}$/.test(declared)) throw new HttpError(400, "Invalid Content-Length");
    if (Number(declared) > maxBytes) throw new HttpError(413, `Body larger than ${maxBytes} bytes`);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpError(413, `Body larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
