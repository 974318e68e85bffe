// A hard wall-clock limit on reading one feed, which does not depend on the parser returning.
//
// Where the runtime has Web Workers (Deno CLI: the local stack, tests, self-hosting) the feed is
// parsed in a worker that is terminated at the limit: V8 stops it even inside a loop that never
// yields. Hosted Supabase Edge Functions have no Worker API ("Web Worker API ... not available",
// supabase.com/docs/guides/functions/limits); there the parse runs in-process, where the bounds
// of recurrence_guard.ts (step budget inside ical.js's iterator, rule and zone validation) and
// the platform's own CPU limit are what hold. Either way a feed that runs out of time fails the
// sync with a clear error and every stored busy time is kept.
import { busyIntervals, type ParseOptions, type ParseResult } from "./ics.ts";

export class ReadTimeoutError extends Error {
  constructor(ms: number) {
    super(`calendar feed took longer than ${Math.round(ms / 1000)} s to read`);
    this.name = "ReadTimeoutError";
  }
}

/** How long a worker may take to load (type-checking under `deno test` can be slow). */
const STARTUP_MS = 120_000;

/**
 * Runs one message through a fresh module worker. The worker posts "ready" once loaded; the
 * message is sent then, and the worker is terminated if no answer comes within `wallMs`.
 */
export function runInWorker<T>(workerUrl: URL, message: unknown, wallMs: number): Promise<T> {
  const worker = new Worker(workerUrl.href, { type: "module" });
  return new Promise<T>((resolve, reject) => {
    let timer = setTimeout(() => fail(new Error("calendar parse worker failed")), STARTUP_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      worker.terminate();
      reject(error);
    };
    worker.onmessage = (event) => {
      if (event.data === "ready") {
        clearTimeout(timer);
        timer = setTimeout(() => fail(new ReadTimeoutError(wallMs)), wallMs);
        worker.postMessage(message);
        return;
      }
      clearTimeout(timer);
      worker.terminate();
      resolve(event.data as T);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fail(new Error("calendar parse worker failed"));
    };
  });
}

/** busyIntervals with a hard time limit (in a worker where the runtime has them). */
export async function readFeedBounded(
  text: string,
  options: ParseOptions,
  wallMs: number,
): Promise<ParseResult> {
  type Answer = { ok: true; result: ParseResult } | { ok: false; error: string };
  let answer: Answer;
  try {
    // Supabase's Edge Runtime (global EdgeRuntime) has no usable Worker API.
    if (typeof Worker !== "function" || "EdgeRuntime" in globalThis) {
      throw new Error("no Worker API");
    }
    answer = await runInWorker<Answer>(
      new URL("./parse_worker.ts", import.meta.url),
      { text, options },
      wallMs,
    );
  } catch (error) {
    if (error instanceof ReadTimeoutError) throw error;
    if (error instanceof Error && error.message === "calendar parse worker failed") throw error;
    return busyIntervals(text, options); // no workers here (hosted): the in-process bounds hold
  }
  if (!answer.ok) {
    const error = new Error("calendar feed could not be read");
    error.name = answer.error;
    throw error;
  }
  return answer.result;
}
