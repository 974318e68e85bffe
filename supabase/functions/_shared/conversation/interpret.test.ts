// The rules interpreter on utterances written the way customers write: DE/EN/FR/IT, lower case,
// no punctuation, emojis, typos, several requests at once, voice-transcript style. The clock is
// fixed: Sunday 29 November 2026, 12:00 in Zurich (tomorrow = Mon 30 Nov, Friday = 4 Dec, "next
// week" = the week that starts tomorrow).
import assert from "node:assert/strict";
import { interpret } from "./interpret.ts";
import { Intent, type InterpretContext } from "./intent.ts";
import { ids, worldContext } from "./test_world.ts";
import { wallTime } from "./zoned.ts";

type Expected = {
  intent?: Intent["intent"];
  lang?: Intent["language"];
  service?: keyof typeof ids | null;
  candidates?: (keyof typeof ids)[];
  /** local "YYYY-MM-DD HH:MM" of window_from / window_to, or null */
  from?: string | null;
  to?: string | null;
  exact?: boolean;
  part?: Intent["part_of_day"];
  urgent?: boolean;
  statement?: string | null;
  members?: (keyof typeof ids)[];
  anyone?: boolean;
  choice?: number | null;
};

const local = (iso: string | null) => {
  if (!iso) return null;
  const w = wallTime(new Date(iso), "Europe/Zurich");
  const p = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
};

const offered: InterpretContext["offered"] = [
  { number: 1, teamMemberId: ids.schmidt, startsAt: "2026-12-04T09:00:00Z" }, // Fri 10:00
  { number: 2, teamMemberId: ids.weber, startsAt: "2026-12-07T08:00:00Z" }, // Mon 9:00
];

const cases: [string, Expected, Partial<InterpretContext>?][] = [
  // The guide's five requests
  ["I need a dental cleaning", {
    intent: "book",
    lang: "en",
    service: "cleaning",
    from: null,
    urgent: false,
  }],
  ["Dental appointment Friday morning", {
    intent: "book",
    lang: "en",
    service: null,
    candidates: ["cleaning", "implant"],
    from: "2026-12-04 07:00",
    to: "2026-12-04 12:00",
    part: "morning",
  }],
  ["I need a massage", { intent: "book", service: "massage", members: [] }],
  ["I'm in severe pain, need earliest appointment possible!", {
    intent: "book",
    lang: "en",
    urgent: true,
    statement: "severe pain, earliest possible",
  }],
  ["Can I try a massage with Michael this time? I've heard good things", {
    intent: "book",
    lang: "en",
    service: "massage",
    members: ["michael"],
    anyone: false,
  }],
  // English
  ["i need a cleaning tomorrow morning", {
    intent: "book",
    service: "cleaning",
    from: "2026-11-30 07:00",
    to: "2026-11-30 12:00",
    part: "morning",
  }],
  ["cleaning tomorrow at 3", { service: "cleaning", from: "2026-11-30 15:00", exact: true }],
  ["can i get a filling on tuesday at 2pm", {
    intent: "book",
    service: "filling",
    from: "2026-12-01 14:00",
    to: "2026-12-01 16:00",
    exact: true,
  }],
  ["teeth whitening next week", {
    service: "whitening",
    from: "2026-11-30 00:00",
    to: "2026-12-07 00:00",
  }],
  ["massage this week pls", {
    service: "massage",
    from: "2026-11-29 12:00",
    to: "2026-11-30 00:00",
  }],
  ["any time on wednesday for an implant", {
    service: "implant",
    from: "2026-12-02 00:00",
    to: "2026-12-03 00:00",
  }],
  ["do you have something friday afternoon", {
    intent: "book",
    from: "2026-12-04 12:00",
    to: "2026-12-04 18:00",
    part: "afternoon",
  }],
  ["on the 10th at 9:30", { from: "2026-12-10 09:30", exact: true }],
  ["december 3 at 11", { from: "2026-12-03 11:00", exact: true }],
  ["3rd of december in the morning", { from: "2026-12-03 07:00", part: "morning" }],
  ["with dr weber please", { intent: "book", members: ["weber"] }],
  ["weber", { members: ["weber"] }],
  ["dr schmidt friday", { intent: "book", members: ["schmidt"], from: "2026-12-04 00:00" }],
  ["i'd like a cleaning with doctor mueller", { service: "cleaning", members: ["mueller"] }],
  ["cleaning with sarah", { service: "cleaning", members: ["weber"] }],
  ["massage with sarah", { service: "massage", members: ["sarah"] }],
  ["is sarah free on monday", {
    intent: "book",
    members: ["weber", "sarah"],
    from: "2026-11-30 00:00",
  }],
  ["sarah weber", { members: ["weber"] }],
  ["anyone is fine", { intent: "book", anyone: true }],
  ["whoever is available earliest", { anyone: true, urgent: true }],
  ["i dont mind who", { anyone: true }],
  ["my tooth hurts so much i need help asap", {
    intent: "book",
    urgent: true,
    statement: "hurts so much, asap",
    candidates: ["filling"],
  }],
  ["emergency", { urgent: true, statement: "emergency" }],
  ["need a slot today if possible its urgent", {
    urgent: true,
    from: "2026-11-29 12:00",
    to: "2026-11-30 00:00",
  }],
  ["yes", { intent: "yes", lang: "en" }, { language: "en" }],
  ["yeah that works", { intent: "yes" }],
  ["sure 👍", { intent: "yes" }],
  ["👍", { intent: "yes" }, { awaiting: "offer" }],
  ["Perfect!", { intent: "yes", lang: "en" }],
  ["Yes please!", { intent: "yes" }],
  ["Yes, she was great!", { intent: "yes", lang: "en" }, { awaiting: "remember_preference" }],
  ["no", { intent: "no" }],
  ["nope doesnt work for me", { intent: "no" }],
  ["no thanks", { intent: "no" }],
  ["cancel my appointment", { intent: "cancel", lang: "en" }],
  ["i need to cancel", { intent: "cancel" }],
  ["can i reschedule my cleaning", { intent: "reschedule", service: "cleaning" }],
  ["i want to move my appointment to friday", { intent: "reschedule", from: "2026-12-04 00:00" }],
  ["when is my appointment", { intent: "my_bookings" }],
  ["what are your opening hours", { intent: "opening_hours", lang: "en" }],
  ["when are you open?", { intent: "opening_hours" }],
  ["how much is a cleaning", { intent: "price", service: "cleaning" }],
  ["price for whitening?", { intent: "price", service: "whitening" }],
  ["who does massages", { intent: "who_does", service: "massage" }],
  ["who can do an implant?", { intent: "who_does", service: "implant" }],
  ["i want to talk to a real person", { intent: "human" }],
  ["can someone from staff call me", { intent: "human" }],
  ["STOP", { intent: "stop" }],
  ["unsubscribe", { intent: "stop" }],
  ["from now on i prefer dr schmidt", { intent: "change_preference", members: ["schmidt"] }],
  ["hello", { intent: "greeting", lang: "en" }],
  ["thanks a lot", { intent: "thanks", lang: "en" }],
  ["hi i need a cleaning and also a whitening next week", {
    intent: "book",
    service: "cleaning",
    candidates: ["cleaning", "whitening"],
    from: "2026-11-30 00:00",
  }],
  ["um yeah so i was wondering if i could uh get a cleaning like tomorrow afternoon maybe", {
    intent: "book",
    service: "cleaning",
    from: "2026-11-30 12:00",
    part: "afternoon",
  }],
  ["hey its anna i have really bad pain can i come in today", {
    urgent: true,
    from: "2026-11-29 12:00",
  }],
  ["claening tomorow morning", { service: "cleaning", from: "2026-11-30 07:00" }],
  ["massge on frday", { service: "massage", from: "2026-12-04 00:00" }],
  ["whitenning", { service: "whitening" }],
  ["implnat", { service: "implant" }],
  ["deep tisue massage with michal", { service: "massage", members: ["michael"] }],
  ["DENTAL CLEANING TUESDAY 2PM", { service: "cleaning", from: "2026-12-01 14:00" }],
  ["cleaning 🦷🦷 tuesday?? 😊", { service: "cleaning", from: "2026-12-01 00:00" }],
  ["book me in for a filling at 10:15 on the 2nd", {
    service: "filling",
    from: "2026-12-02 10:15",
    exact: true,
  }],
  ["evening appointment for massage wednesday", {
    service: "massage",
    from: "2026-12-02 17:00",
    part: "evening",
  }],
  ["at noon tomorrow", { from: "2026-11-30 12:00", exact: true }],
  // German
  ["Ich brauche eine Zahnreinigung", { intent: "book", lang: "de", service: "cleaning" }],
  ["nächsten Dienstag um 14 Uhr", {
    intent: "book",
    lang: "de",
    from: "2026-12-01 14:00",
    exact: true,
  }],
  ["zahnreinigung am freitag vormittag", {
    service: "cleaning",
    from: "2026-12-04 07:00",
    to: "2026-12-04 12:00",
    part: "morning",
  }],
  ["ich hätte gern eine zahnreinigung bei dr weber am freitag nachmittag", {
    lang: "de",
    service: "cleaning",
    members: ["weber"],
    from: "2026-12-04 12:00",
    part: "afternoon",
  }],
  ["morgen um 9", { from: "2026-11-30 09:00", exact: true, lang: "de" }],
  ["morgen früh", { from: "2026-11-30 07:00", part: "morning" }],
  ["übermorgen nachmittag", { from: "2026-12-01 12:00", part: "afternoon" }],
  ["am 5.12. um 9", { from: "2026-12-05 09:00", exact: true }],
  ["am 10.12.", { from: "2026-12-10 00:00", to: "2026-12-11 00:00" }],
  ["5. Dezember", { from: "2026-12-05 00:00" }],
  ["am 3. dezember um halb 10", { from: "2026-12-03 09:30", exact: true }],
  ["um 14:30", { from: "2026-11-29 14:30", exact: true }],
  ["morgen 14.30", { from: "2026-11-30 14:30", exact: true }],
  ["am 2.12 um 9.15", { from: "2026-12-02 09:15", exact: true }],
  ["termin am 7/12", { from: "2026-12-07 00:00", exact: false }],
  ["am 1.1.27 um 10", { from: "2027-01-01 10:00" }],
  ["nächste woche irgendwann", { from: "2026-11-30 00:00", to: "2026-12-07 00:00" }],
  ["diese woche noch", { from: "2026-11-29 12:00", to: "2026-11-30 00:00" }],
  ["eine füllung bitte", { service: "filling", lang: "de" }],
  ["plombe am mittwoch", { service: "filling", from: "2026-12-02 00:00" }],
  ["Zahnaufhellung", { service: "whitening" }],
  ["implantat beratung", { service: "implant" }],
  ["ich möchte eine massage bei michael", { service: "massage", members: ["michael"], lang: "de" }],
  ["massage bei sarah am donnerstag", {
    service: "massage",
    members: ["sarah"],
    from: "2026-12-03 00:00",
  }],
  ["termin bei frau dr weber", { members: ["weber"], intent: "book" }],
  ["bei herrn schmidt", { members: ["schmidt"] }],
  ["dr müller", { members: ["mueller"] }],
  ["dr mueller", { members: ["mueller"] }],
  ["dr muller", { members: ["mueller"] }],
  ["bei sarah", { members: ["weber", "sarah"] }],
  ["egal wer", { anyone: true, lang: "de" }],
  ["egal bei wem hauptsache schnell", { anyone: true, urgent: true }],
  ["Ich habe starke Schmerzen, Notfall", {
    urgent: true,
    statement: "starke Schmerzen, Notfall",
    lang: "de",
  }],
  ["es ist dringend", { urgent: true, statement: "dringend" }],
  ["so schnell wie möglich bitte", {
    urgent: true,
    statement: "so schnell wie möglich",
    from: null,
  }],
  ["mir tut der zahn weh brauche sofort einen termin", { urgent: true, statement: "weh, sofort" }],
  ["frühestmöglicher termin bitte", { urgent: true }],
  ["ja", { intent: "yes", lang: "de" }],
  ["ja gerne", { intent: "yes", lang: "de" }],
  ["passt", { intent: "yes" }],
  ["jo passt perfekt", { intent: "yes" }],
  ["nein", { intent: "no", lang: "de" }],
  ["nein danke", { intent: "no" }],
  ["lieber nicht", { intent: "no" }],
  ["ich möchte meinen termin absagen", { intent: "cancel", lang: "de" }],
  ["termin stornieren bitte", { intent: "cancel" }],
  ["kann ich den termin verschieben", { intent: "reschedule" }],
  ["meine termine", { intent: "my_bookings" }],
  ["wann habt ihr offen", { intent: "opening_hours", lang: "de" }],
  ["öffnungszeiten?", { intent: "opening_hours" }],
  ["wie viel kostet eine zahnreinigung", { intent: "price", service: "cleaning", lang: "de" }],
  ["was kostet ein bleaching", { intent: "price", service: "whitening" }],
  ["wer macht massagen", { intent: "who_does", service: "massage" }],
  ["kann ich mit jemandem sprechen", { intent: "human" }],
  ["ich will mit einem menschen reden", { intent: "human" }],
  ["stopp", { intent: "stop" }],
  ["in zukunft lieber bei dr müller", { intent: "change_preference", members: ["mueller"] }],
  ["grüezi", { intent: "greeting" }],
  ["danke vielmals", { intent: "thanks" }],
  ["zahnreinugung morgn", { service: "cleaning" }],
  [
    "hallo ich bräuchte ne zahn reinigung nächste woche am mittwoch nachmittag wenns geht bei weber",
    { service: "cleaning", members: ["weber"], from: "2026-12-02 12:00", part: "afternoon" },
  ],
  ["ja also äh ich hätte gern einen termin für eine massage morgen abend", {
    service: "massage",
    from: "2026-11-30 17:00",
    part: "evening",
  }],
  // French
  ["je voudrais un rdv pour un détartrage vendredi matin", {
    intent: "book",
    lang: "fr",
    service: "cleaning",
    from: "2026-12-04 07:00",
    part: "morning",
  }],
  ["le 6 à 10h30", { lang: "fr", from: "2026-12-06 10:30", exact: true }],
  ["demain à 15h", { from: "2026-11-30 15:00", exact: true, lang: "fr" }],
  ["mardi après-midi", { from: "2026-12-01 12:00", part: "afternoon" }],
  ["un nettoyage la semaine prochaine", { service: "cleaning", from: "2026-11-30 00:00" }],
  ["blanchiment des dents", { service: "whitening", lang: "fr" }],
  ["un massage avec michael", { service: "massage", members: ["michael"], lang: "fr" }],
  ["avec le docteur weber", { members: ["weber"] }],
  ["n'importe qui", { anyone: true, lang: "fr" }],
  ["peu importe qui, le plus tôt possible", { anyone: true, urgent: true }],
  ["j'ai très mal aux dents c'est urgent", {
    urgent: true,
    statement: "très mal aux dents, urgent",
    lang: "fr",
  }],
  ["oui", { intent: "yes", lang: "fr" }],
  ["oui d'accord", { intent: "yes" }],
  ["ça marche", { intent: "yes" }],
  ["non merci", { intent: "no" }],
  ["je dois annuler mon rendez-vous", { intent: "cancel", lang: "fr" }],
  ["je voudrais déplacer mon rdv", { intent: "reschedule" }],
  ["quels sont vos horaires ?", { intent: "opening_hours" }],
  ["combien coûte un détartrage", { intent: "price", service: "cleaning" }],
  ["qui fait les massages", { intent: "who_does", service: "massage" }],
  ["je veux parler à une personne", { intent: "human" }],
  ["arrêt", { intent: "stop" }],
  ["bonjour", { intent: "greeting", lang: "fr" }],
  ["merci beaucoup", { intent: "thanks", lang: "fr" }],
  ["detartrage jeudi 14h", { service: "cleaning", from: "2026-12-03 14:00" }],
  ["rendez vous pour une carie demain matin svp", { service: "filling", from: "2026-11-30 07:00" }],
  // Italian
  ["vorrei un appuntamento per la pulizia dei denti domani alle 15", {
    intent: "book",
    lang: "it",
    service: "cleaning",
    from: "2026-11-30 15:00",
    exact: true,
  }],
  ["venerdì mattina", { from: "2026-12-04 07:00", part: "morning" }],
  ["martedì pomeriggio per un massaggio", {
    service: "massage",
    from: "2026-12-01 12:00",
    part: "afternoon",
    lang: "it",
  }],
  ["un'otturazione la prossima settimana", { service: "filling", from: "2026-11-30 00:00" }],
  ["sbiancamento", { service: "whitening" }],
  ["con michael", { members: ["michael"] }],
  ["chiunque va bene", { anyone: true }],
  ["ho un forte dolore, il prima possibile", {
    urgent: true,
    statement: "forte dolore, il prima possibile",
    lang: "it",
  }],
  ["è urgente", { urgent: true }],
  ["sì", { intent: "yes", lang: "it" }, { language: "it" }],
  ["si va bene", { intent: "yes", lang: "it" }],
  ["certo perfetto", { intent: "yes" }],
  ["no grazie", { intent: "no" }],
  ["vorrei annullare il mio appuntamento", { intent: "cancel", lang: "it" }],
  ["posso spostare l'appuntamento?", { intent: "reschedule" }],
  ["quali sono gli orari?", { intent: "opening_hours" }],
  ["quanto costa una pulizia", { intent: "price", service: "cleaning", lang: "it" }],
  ["chi fa i massaggi", { intent: "who_does", service: "massage" }],
  ["vorrei parlare con una persona", { intent: "human" }],
  ["buongiorno", { intent: "greeting", lang: "it" }],
  ["grazie mille", { intent: "thanks", lang: "it" }],
  ["il 9 alle 11", { from: "2026-12-09 11:00", exact: true }],
  ["domani sera", { from: "2026-11-30 17:00", part: "evening" }],
  // Times said in words, the way people speak
  ["half past 2 tomorrow", { from: "2026-11-30 14:30", exact: true, lang: "en" }],
  ["at three tomorrow", { from: "2026-11-30 15:00", exact: true }],
  ["quarter to 5 on friday", { from: "2026-12-04 16:45", exact: true }],
  ["um halb drei morgen", { from: "2026-11-30 14:30", exact: true, lang: "de" }],
  ["morgen um viertel nach 10", { from: "2026-11-30 10:15", exact: true }],
  ["um drei", { from: "2026-11-29 15:00", exact: true }],
  ["à trois heures demain", { from: "2026-11-30 15:00", exact: true, lang: "fr" }],
  ["demain 10 heures et demie", { from: "2026-11-30 10:30", exact: true }],
  ["alle tre e mezza domani", { from: "2026-11-30 15:30", exact: true, lang: "it" }],
  ["verso le 10 venerdì", { from: "2026-12-04 10:00", exact: true, lang: "it" }],
  ["übernächste woche", { from: "2026-12-07 00:00", to: "2026-12-14 00:00" }],
  // Choosing among the offered options (Dr. Schmidt Fri 10:00, Dr. Weber Mon 9:00)
  ["2", { intent: "choose", choice: 2 }, { offered, awaiting: "offer" }],
  ["option 1", { intent: "choose", choice: 1 }, { offered, awaiting: "offer" }],
  ["the second one", { intent: "choose", choice: 2 }, { offered, awaiting: "offer" }],
  ["die erste bitte", { intent: "choose", choice: 1 }, { offered, awaiting: "offer" }],
  ["le deuxième", { intent: "choose", choice: 2 }, { offered, awaiting: "offer" }],
  ["il primo", { intent: "choose", choice: 1 }, { offered, awaiting: "offer" }],
  ["Dr. Schmidt please", { intent: "choose", choice: 1 }, { offered, awaiting: "offer" }],
  ["lieber weber", { intent: "choose", choice: 2 }, { offered, awaiting: "offer" }],
  ["monday", { intent: "choose", choice: 2 }, { offered, awaiting: "offer" }],
  ["freitag passt", { intent: "choose", choice: 1 }, { offered, awaiting: "offer" }],
  ["the 10 o'clock one", { intent: "choose", choice: 1 }, { offered, awaiting: "offer" }],
  ["Dr. Schmidt on Friday", { intent: "choose", choice: 1 }, { offered, awaiting: "offer" }],
  ["5", { intent: "unknown", choice: null }, { offered, awaiting: "offer" }],
  ["tap", { intent: "choose", choice: 2 }, { offered, awaiting: "offer", replyId: "choice:2" }],
  ["Yes", { intent: "yes" }, { offered, awaiting: "offer", replyId: "yes" }],
  ["wednesday instead", { intent: "book", from: "2026-12-02 00:00" }, {
    offered,
    awaiting: "offer",
  }],
  // Hostile and odd input
  ["", { intent: "unknown", from: null, members: [] }],
  ["   ", { intent: "unknown" }],
  ["🙂🙂🙂", { intent: "unknown" }],
  ["a".repeat(5000), { intent: "unknown" }],
  ["cleaning\r\nfriday\r\n", { service: "cleaning", from: "2026-12-04 00:00" }],
  ["<script>alert(1)</script> cleaning", { service: "cleaning" }],
  ["on 31.02.", { from: null }],
  ["at 25:99", { exact: false }],
  ["9999-12-31", { intent: "book", from: "9999-12-31 00:00" }],
];

for (const [text, expected, overrides] of cases) {
  Deno.test(`interpret ${JSON.stringify(text.slice(0, 60))}`, () => {
    const intent = interpret(text, worldContext(overrides ?? {}));
    Intent.parse(intent); // always the validated shape
    const actual: Expected = {};
    const wanted: Expected = {};
    const check = <K extends keyof Expected>(key: K, value: Expected[K]) => {
      if (key in expected) {
        actual[key] = value;
        wanted[key] = expected[key];
      }
    };
    const name = (id: string | null) =>
      (Object.entries(ids).find(([, v]) => v === id)?.[0] ?? null) as keyof typeof ids | null;
    check("intent", intent.intent);
    check("lang", intent.language);
    check("service", name(intent.service_id));
    check("candidates", intent.service_ids.map((s) => name(s)!).sort());
    check("from", local(intent.window_from));
    check("to", local(intent.window_to));
    check("exact", intent.exact_time);
    check("part", intent.part_of_day);
    check("urgent", intent.urgent);
    check("statement", intent.customer_statement);
    check("members", intent.team_member_ids.map((s) => name(s)!).sort());
    check("anyone", intent.anyone);
    check("choice", intent.choice);
    if (wanted.candidates) wanted.candidates = [...wanted.candidates].sort();
    if (wanted.members) wanted.members = [...wanted.members].sort();
    assert.deepEqual(actual, wanted);
  });
}

Deno.test("interpret: at least 150 utterances are checked", () => {
  if (cases.length < 150) throw new Error(`only ${cases.length} utterances`);
});
