// The rules interpreter (default): offline, deterministic and fast. Reads a customer's message
// (typed or voice-transcribed, any case, typos, emojis) into an Intent.
import { type Intent, type InterpretContext, type Language } from "./intent.ts";
import {
  anyoneWords,
  intentWords,
  noEmojis,
  noWords,
  ordinals,
  urgencyPatterns,
  yesEmojis,
  yesWords,
} from "./lexicon.ts";
import { detectLanguage } from "./language.ts";
import { matchService, matchTeamMembers } from "./catalog.ts";
import { understandWhen } from "./when.ts";
import { fold, hasAny, words } from "./text.ts";
import { wallTime } from "./zoned.ts";

const MAX_TEXT = 1000;

export function interpret(text: string, context: InterpretContext): Intent {
  const raw = (text ?? "").slice(0, MAX_TEXT);
  const folded = fold(raw);
  const tokens = words(folded);
  const language: Language = detectLanguage(tokens, raw, context.language);

  // "un'otturazione", "l'implant": the article's apostrophe is not part of the service's name.
  const service = matchService(words(folded.replace(/'/g, " ")), context.services);
  const teamMemberIds = matchTeamMembers(raw, context.teamMembers, service.serviceId);
  const when = understandWhen(folded, raw, language, context.now, context.timeZone);
  const urgencyCues = findUrgency(folded).map((cue) => inOriginalWords(raw, cue));
  const anyone = hasAny(folded, anyoneWords) !== null;
  const answer = readYesNo(raw, folded, tokens);

  const base: Intent = {
    intent: "unknown",
    language,
    service_id: service.serviceId,
    service_ids: service.candidates,
    window_from: when.from?.toISOString() ?? null,
    window_to: when.to?.toISOString() ?? null,
    exact_time: when.exactTime,
    part_of_day: when.partOfDay,
    urgent: urgencyCues.length > 0,
    team_member_ids: teamMemberIds,
    anyone,
    choice: null,
    customer_statement: urgencyCues.length > 0 ? urgencyCues.join(", ").slice(0, 300) : null,
    text: raw,
  };

  // A tapped button says exactly what it means.
  const replyId = context.replyId ?? null;
  if (replyId) {
    const choice = replyId.match(/^choice:(\d{1,2})$/);
    if (choice) return { ...base, intent: "choose", choice: Number(choice[1]) };
    if (replyId === "yes" || replyId === "no") return { ...base, intent: replyId };
  }

  const has = (list: readonly string[]) => hasAny(folded, list) !== null;
  const shortMessage = tokens.length <= 4;
  const wantsBooking = service.serviceId !== null || service.candidates.length > 0 ||
    when.from !== null ||
    urgencyCues.length > 0 || has(intentWords.booking);

  if (tokens.length <= 3 && has(intentWords.stop)) return { ...base, intent: "stop" };
  if (has(intentWords.human)) return { ...base, intent: "human" };
  if (has(intentWords.cancel) && !has(intentWords.reschedule)) return { ...base, intent: "cancel" };
  if (has(intentWords.reschedule)) return { ...base, intent: "reschedule" };
  if (has(intentWords.myBookings) && !has(intentWords.cancel) && !when.from) {
    return { ...base, intent: "my_bookings" };
  }

  // Picking one of the offered options: by number, ordinal, day, time or name.
  if (context.offered.length > 0) {
    const choice = readChoice(folded, tokens, teamMemberIds, when.from, context);
    if (choice !== null) return { ...base, intent: "choose", choice };
  }
  // "ok" answers a question; "ok I need a cleaning" with nothing asked is a request.
  if (
    answer && !anyone && (context.awaiting !== null || !wantsBooking) &&
    !(answer === "no" && when.from)
  ) {
    return { ...base, intent: answer };
  }
  if (teamMemberIds.length > 0 && has(intentWords.preference) && !when.from) {
    return { ...base, intent: "change_preference" };
  }
  const question = /\?/.test(raw) ||
    /^(how|what|who|when|wie|was|wer|wann|combien|qui|quand|quel|quanto|chi|quando|quali)\b/.test(
      folded,
    );
  if (has(intentWords.price) && (question || service.serviceId || shortMessage)) {
    return { ...base, intent: "price" };
  }
  if (has(intentWords.who)) return { ...base, intent: "who_does" };
  if (
    has(intentWords.hours) && !service.serviceId && !has(intentWords.booking) &&
    (question || shortMessage)
  ) {
    return { ...base, intent: "opening_hours" };
  }
  if (wantsBooking || teamMemberIds.length > 0 || anyone) return { ...base, intent: "book" };
  if (has(intentWords.thanks)) return { ...base, intent: "thanks" };
  if (has(intentWords.greeting)) return { ...base, intent: "greeting" };
  return base;
}

function findUrgency(folded: string): string[] {
  const found: { at: number; end: number; cue: string }[] = [];
  for (const pattern of urgencyPatterns) {
    const match = folded.match(pattern);
    if (match?.index === undefined) continue;
    found.push({ at: match.index, end: match.index + match[0].length, cue: match[0] });
  }
  // Keep the longest of overlapping cues, in the order the customer said them; filler words go
  // ("earliest appointment possible" → "earliest possible").
  return found
    .filter((f) =>
      !found.some((g) => g !== f && g.at <= f.at && g.end >= f.end && g.end - g.at > f.end - f.at)
    )
    .sort((a, b) => a.at - b.at)
    .map((f) =>
      f.cue.replace(/\b(?:appointment|termin|rendez vous|appuntamento|slot)\b ?/g, "").trim()
    )
    .filter((cue, i, all) => all.indexOf(cue) === i);
}

/** A folded phrase as the customer wrote it (accents and case kept, punctuation dropped). */
function inOriginalWords(raw: string, cue: string): string {
  const rawWords = raw.split(/\s+/).filter((w) => fold(w).length > 0);
  const foldedWords = rawWords.map((w) => fold(w));
  const cueWords = words(cue);
  // fold may split one raw word ("j'ai") into several; compare on the joined form.
  for (let i = 0; i < rawWords.length; i++) {
    let joined = "";
    for (let j = i; j < rawWords.length && joined.length < cue.length; j++) {
      joined = joined ? `${joined} ${foldedWords[j]}` : foldedWords[j];
      if (joined === cueWords.join(" ")) {
        return rawWords.slice(i, j + 1).join(" ").replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      }
    }
  }
  return cue;
}

function readYesNo(raw: string, folded: string, tokens: string[]): "yes" | "no" | null {
  const yesEmoji = yesEmojis.some((e) => raw.includes(e));
  const noEmoji = noEmojis.some((e) => raw.includes(e));
  const lead = tokens.slice(0, 3).join(" ");
  const all = (lists: Record<string, readonly string[]>) => Object.values(lists).flat();
  const no = hasAny(folded, all(noWords)) !== null &&
    (hasAny(lead, all(noWords)) !== null || tokens.length <= 5);
  const yes = hasAny(lead, all(yesWords)) !== null ||
    (tokens.length <= 4 && hasAny(folded, all(yesWords)) !== null);
  if (no || (noEmoji && !yes)) return "no";
  if (yes || yesEmoji) return "yes";
  return null;
}

function readChoice(
  folded: string,
  tokens: string[],
  teamMemberIds: string[],
  windowFrom: Date | null,
  context: InterpretContext,
): number | null {
  const offered = context.offered;
  const inRange = (n: number) => offered.some((o) => o.number === n) ? n : null;
  // "2", "nr 2", "option 2", "die 2", "le 2"
  const numeric = folded.match(
    /^(?:(?:option|nr|nummer|number|no|numero|num|n|die|das|le|la|il|the|choice|wahl)\s?)?(\d{1,2})(?:\s?(?:please|bitte|svp|per favore|stp))?$/,
  );
  if (numeric) return inRange(Number(numeric[1]));
  if (tokens.length <= 5) {
    for (let i = 0; i < ordinals.length; i++) {
      if (tokens.some((t) => ordinals[i].includes(t))) {
        const n = inRange(i + 1);
        if (n !== null) return n;
      }
    }
  }
  // By team member ("schmidt", "the one with Dr. Weber").
  if (teamMemberIds.length > 0) {
    const matching = offered.filter((o) =>
      o.teamMemberId && teamMemberIds.includes(o.teamMemberId)
    );
    if (matching.length === 1) return matching[0].number;
  }
  // By day or time ("friday", "the 10 o'clock", "monday at 9").
  if (windowFrom) {
    const wanted = wallTime(windowFrom, context.timeZone);
    const sameDay = offered.filter((o) => {
      if (!o.startsAt) return false;
      const at = wallTime(new Date(o.startsAt), context.timeZone);
      return at.year === wanted.year && at.month === wanted.month && at.day === wanted.day;
    });
    if (sameDay.length === 1) return sameDay[0].number;
    const sameTime = offered.filter((o) => {
      if (!o.startsAt) return false;
      const at = wallTime(new Date(o.startsAt), context.timeZone);
      return at.hour === wanted.hour && at.minute === wanted.minute;
    });
    if (sameTime.length === 1 && (sameDay.length === 0 || sameDay.length > 1)) {
      return sameTime[0].number;
    }
    // "monday" when Monday's option is next week's.
    const sameWeekday = offered.filter((o) =>
      o.startsAt && wallTime(new Date(o.startsAt), context.timeZone).weekday === wanted.weekday
    );
    if (sameDay.length === 0 && sameWeekday.length === 1) return sameWeekday[0].number;
  }

  return null;
}
