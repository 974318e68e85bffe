// Round trip through the local gateway to a function that queries the database.
import { measure, report } from "./lib.ts";

const url = `${Deno.env.get("SUPABASE_URL")}/functions/v1/health`;
const headers = { Authorization: `Bearer ${Deno.env.get("SUPABASE_ANON_KEY")}` };
const times = await measure(async () => {
  const res = await fetch(url, { headers });
  await res.body?.cancel();
}, 200);
report("gateway -> health function -> select now()", times);
