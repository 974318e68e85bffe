// Worker side of parse_bounded.ts: parses one feed and posts the result back.
/// <reference lib="deno.worker" />
import { busyIntervals, type ParseOptions } from "./ics.ts";

self.onmessage = (event: MessageEvent<{ text: string; options: ParseOptions }>) => {
  const { text, options } = event.data;
  try {
    self.postMessage({ ok: true, result: busyIntervals(text, options) });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.name : "Error" });
  }
};
self.postMessage("ready");
