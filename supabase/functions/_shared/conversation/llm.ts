// The optional LLM interpreter: any OpenAI-compatible chat-completions endpoint reads the message
// with the prompt from the database (business_settings.llm_prompt_template, hydrated by
// private.conversation_llm_prompt). Its answer must pass the same zod Intent schema and name only
// services and team members that exist; anything else (timeout, HTTP error, invalid output) and
// the rules answer instead. The LLM never books: it only reads.
import { z } from "zod";
import { Intent, type InterpretContext, type Interpreter } from "./intent.ts";
import { interpret as interpretByRules } from "./interpret.ts";

export const llmEnvSchema = z.object({
  LLM_API_URL: z.string().regex(
    /^https?:\/\/[^\s]+$/,
    "must be an http(s) URL of a chat-completions endpoint",
  ),
  LLM_API_KEY: z.string().min(1, "must be the API key"),
  LLM_MODEL: z.string().min(1).max(200),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
});
export type LlmConfig = z.infer<typeof llmEnvSchema>;

/** The LLM settings, or null when LLM_API_URL is not set (the rules interpreter is used). A set
 * but broken configuration is an error naming the variables, never their values. */
export function llmConfig(source: Record<string, string | undefined>): LlmConfig | null {
  if (!source.LLM_API_URL) return null;
  const result = llmEnvSchema.safeParse(source);
  if (result.success) return result.data;
  throw new Error(
    `Invalid LLM configuration: ${result.error.issues.map((i) => i.path.join(".")).join(", ")}`,
  );
}

const ChatCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().max(20_000) }) })).min(1),
});

export class LlmUnusable extends Error {}

/** Asks the endpoint; returns an Intent or throws LlmUnusable (with a reason free of secrets). */
export async function askLlm(
  config: LlmConfig,
  prompt: string,
  text: string,
  context: InterpretContext,
  fetchFn: typeof fetch = fetch,
): Promise<Intent> {
  let response: Response;
  try {
    response = await fetchFn(config.LLM_API_URL, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${config.LLM_API_KEY}`,
      },
      body: JSON.stringify({
        model: config.LLM_MODEL,
        temperature: 0,
        response_format: { type: "json_object" },
        messages: [{ role: "system", content: prompt }, {
          role: "user",
          content: text.slice(0, 1000),
        }],
      }),
      signal: AbortSignal.timeout(config.LLM_TIMEOUT_MS),
    });
  } catch (error) {
    throw new LlmUnusable(
      error instanceof Error && error.name === "TimeoutError" ? "timed out" : "unreachable",
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new LlmUnusable(`HTTP ${response.status}`);
  }
  const completion = ChatCompletion.safeParse(await response.json().catch(() => null));
  if (!completion.success) throw new LlmUnusable("not a chat completion");
  let raw: unknown;
  try {
    raw = JSON.parse(
      completion.data.choices[0].message.content.replace(/^```(?:json)?\s*|\s*```$/g, ""),
    );
  } catch {
    throw new LlmUnusable("output is not JSON");
  }
  const intent = Intent.safeParse(raw);
  if (!intent.success) throw new LlmUnusable("output does not match the Intent schema");
  // Only what exists: an invented id would send the conversation astray.
  const services = new Set(context.services.map((s) => s.id));
  const members = new Set(context.teamMembers.map((m) => m.id));
  const value = intent.data;
  if (
    (value.service_id && !services.has(value.service_id)) ||
    value.service_ids.some((id) => !services.has(id)) ||
    value.team_member_ids.some((id) => !members.has(id)) ||
    (value.choice !== null && !context.offered.some((o) => o.number === value.choice))
  ) {
    throw new LlmUnusable("output names something that does not exist");
  }
  // The customer's text is ours, not the model's.
  return { ...value, text: text.slice(0, 1000) };
}

/** An Interpreter that asks the LLM and falls back to the rules. `prompt` is the hydrated
 * template for this customer; `onFallback` hears why (for logs: never the key or the text). */
export function llmInterpreter(
  config: LlmConfig,
  prompt: string,
  options: { fetchFn?: typeof fetch; onFallback?: (reason: string) => void } = {},
): Interpreter {
  return async (text, context) => {
    // A tapped button is unambiguous: no need to ask anyone.
    if (context.replyId) return interpretByRules(text, context);
    try {
      return await askLlm(config, prompt, text, context, options.fetchFn);
    } catch (error) {
      options.onFallback?.(error instanceof LlmUnusable ? error.message : "failed");
      return interpretByRules(text, context);
    }
  };
}
