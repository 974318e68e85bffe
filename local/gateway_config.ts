// Reads per-function settings from supabase/config.toml for the local gateway.
import { parse as parseToml } from "smol-toml";

/** verify_jwt per function name; Supabase's default for a function not listed is true. */
export function verifyJwtSettings(tomlText: string): Map<string, boolean> {
  const config = parseToml(tomlText) as { functions?: Record<string, { verify_jwt?: boolean }> };
  const settings = new Map<string, boolean>();
  for (const [name, fn] of Object.entries(config.functions ?? {})) {
    settings.set(name, fn.verify_jwt ?? true);
  }
  return settings;
}
