// What the bot says, in German, English, French and Italian: turns the SQL decision's reply
// ({"say": ..., facts}) into a channel-neutral WhatsApp message (text, buttons or list). Button
// and row ids are what the interpreter reads back: "choice:N", "yes", "no".
import type { OutboundMessage } from "../whatsapp/responder.ts";
import type { Language } from "./intent.ts";
import { shortName, shortWhen, weekdayName, when } from "./dates.ts";

export interface ReplyOption {
  number: number;
  kind?: string;
  team_member_name?: string | null;
  role?: string | null;
  bio?: string | null;
  is_general?: boolean | null;
  starts_at?: string | null;
  name?: string;
  service_name?: string;
  cost_chf?: number;
  duration_minutes?: number;
}

export interface Reply {
  say: string;
  language: Language;
  purpose?: string;
  outcome?: string;
  lost?: boolean;
  urgent?: boolean;
  mode?: string;
  rescheduling?: boolean;
  rescheduled?: boolean;
  service_name?: string;
  team_member_name?: string;
  role?: string | null;
  is_general?: boolean;
  starts_at?: string;
  preferred?: { name: string; role: string | null } | null;
  window_from?: string | null;
  part_of_day?: string | null;
  options?: ReplyOption[] | null;
  services?: (ReplyOption & { team_members?: string[] })[];
  team_members?: ReplyOption[];
  bookings?: ReplyOption[];
  booking?: ReplyOption | null;
  note?: string;
  named?: string[];
  ask_preference?: boolean;
  preference_added?: boolean;
  for?: string;
  hours?: Record<string, { start: string; end: string }[]>;
  closures?: { from: string; to: string }[];
  horizon_days?: number;
  business_name?: string;
  customer_name?: string | null;
  awaiting?: string | null;
  /** nothing_available: the customer may join the waitlist (yes / no buttons). */
  waitlist?: boolean;
  /** rated: the stars the customer tapped. */
  rating?: number;
}

export interface WordingContext {
  timeZone: string;
  now: Date;
}

type Texts = typeof en;

const en = {
  yes: "Yes",
  yesBook: "Yes, book it",
  otherTime: "Another time",
  no: "No",
  choose: "Choose",
  lost: "Sorry, that time was just taken. ",
  rescheduling: "Let's find a new time for your appointment. ",
  notOffer: (names: string, service: string) => `${names} does not offer ${service}. `,
  notBookable: (names: string) => `${names} is not taking bookings at the moment. `,
  preferredAvailable: (service: string, who: string, role: string | null, at: string) =>
    `Great! I can book you for ${article(service)} with ${who}${
      role ? ` (your preferred ${role.toLowerCase()})` : ""
    } ${at}. Does that work?`,
  preferredUnavailable: (who: string, role: string | null, period: string) =>
    `Your usual ${
      role ? role.toLowerCase() : "contact"
    }, ${who}, is fully booked ${period}. I can offer:`,
  whichPrefer: "Which would you prefer?",
  bestMatch: (at: string, who: string) =>
    `I have ${bare(at)} available${who ? ` with ${who}` : ""}.`,
  shallBook: "Shall I book it?",
  urgent: (who: string, at: string) =>
    `I understand this is urgent. The earliest available appointment is${
      who ? ` with ${who}` : ""
    } ${at}. Shall I book it right away?`,
  earliest: (who: string, at: string) =>
    `The earliest available appointment is${who ? ` with ${who}` : ""} ${at}. Shall I book it?`,
  explicitAvailable: (who: string, at: string) =>
    `Absolutely! I have ${bare(at)} available with ${who}. Does that work?`,
  explicitUnavailable: (who: string) => `${who} has no free time then. ${who}'s next free times:`,
  nobody: "Sorry, nobody is free then. The next free appointments:",
  whichOne: "Which one would you like?",
  nothing: (service: string) =>
    `Sorry, I found no free appointment for ${service} in the coming weeks. Please call us.`,
  beyond: (days: number) =>
    `I can only book up to ${days} days ahead. Which date closer to today suits you?`,
  askService: "Which treatment would you like?",
  askTeamMember: (service: string) => `Whom would you like for ${service}?`,
  booked: (who: string, service: string, at: string) =>
    `Your appointment is confirmed${who ? ` with ${who}` : ""}! ${service}, ${at}.`,
  moved: (who: string, service: string, at: string) =>
    `Your appointment has been moved: ${service}${who ? ` with ${who}` : ""}, ${at}.`,
  askKeep: (who: string, service: string) =>
    `Would you like to book with ${who} for future ${plural(service)} as well?`,
  added: (who: string) => `I've added ${who} to your preferred team members.`,
  kept: (who: string) => `Noted: next time I'll suggest ${who} first.`,
  notKept: "All right, I'll keep suggesting whoever fits best.",
  askOther: (service: string) =>
    `No problem. When would suit you better${service ? ` for ${article(service)}` : ""}?`,
  noBookings: "You have no upcoming appointments with us.",
  pickCancel: "Which appointment would you like to cancel?",
  pickReschedule: "Which appointment would you like to move?",
  confirmCancel: (line: string) => `Cancel this appointment: ${line}?`,
  cancelled: (line: string) => `Your appointment is cancelled: ${line}.`,
  cancelKept: "Okay, your appointment stays as it is.",
  bookingsTitle: "Your upcoming appointments:",
  hoursTitle: "Our opening hours:",
  closedTitle: "Closed:",
  pricesTitle: "Our prices:",
  whoTitle: "Who offers what:",
  preferenceChanged: (who: string) => `Done: from now on I'll suggest ${who} first.`,
  askPreferenceMember: "Whom would you like to see from now on?",
  handoff: "I've asked our team to get back to you personally. They'll reply here shortly.",
  stopped:
    "You won't receive any more messages from us. Write to us any time if you need an appointment.",
  greeting: (business: string, name: string | null) =>
    `Hello${
      name ? ` ${name.split(" ")[0]}` : ""
    }! Welcome to ${business}. How can I help you? You can book, move or cancel an appointment here.`,
  thanks: "You're welcome! 😊",
  reminderConfirmed: (line: string) => `Thank you for confirming! See you: ${line}.`,
  bookingChanged: (line: string) =>
    line
      ? `This appointment has changed. Your current appointment: ${line}.`
      : "This appointment was cancelled or has already taken place. Write to me if you'd like a new one.",
  rated: (stars: number) => `Thank you for your rating (${stars}/5)!`,
  nothingWaitlist: (service: string) =>
    `Sorry, I found no free appointment for ${service} in the coming weeks. Shall I put you on the waitlist? I'll write to you as soon as a time becomes free.`,
  waitlistJoined: (service: string, who: string) =>
    `You're on the waitlist for ${service}${
      who ? ` with ${who}` : ""
    }. I'll write to you as soon as a time becomes free.`,
  waitlistNotJoined: "All right. Write to me any time if you'd like an appointment.",
  orWaitlist:
    "Or shall I put you on the waitlist for the time you asked for? I'll write to you as soon as something becomes free.",
  waitlistDeclined: "All right, I've released that time.",
  waitlistOfferOver: "Sorry, this offer is no longer available.",
  quickReplyInvalid: "Sorry, this button no longer applies. How can I help you?",
  notUnderstood: "Sorry, I didn't quite understand. What would you like to book, and when?",
  notUnderstoodOffer:
    "Sorry, I didn't quite understand. Please choose one of the options, or tell me another time.",
  chooseAgain: "Please choose one of these options:",
  days: {
    mon: "Mon",
    tue: "Tue",
    wed: "Wed",
    thu: "Thu",
    fri: "Fri",
    sat: "Sat",
    sun: "Sun",
  } as Record<string, string>,
  parts: {
    morning: "morning",
    midday: "at midday",
    afternoon: "afternoon",
    evening: "evening",
  } as Record<string, string>,
  then: "then",
  minutes: "min",
};

const de: Texts = {
  yes: "Ja",
  yesBook: "Ja, buchen",
  otherTime: "Andere Zeit",
  no: "Nein",
  choose: "Auswählen",
  lost: "Entschuldigung, dieser Termin wurde gerade vergeben. ",
  rescheduling: "Suchen wir einen neuen Termin. ",
  notOffer: (names, service) => `${names} bietet ${service} nicht an. `,
  notBookable: (names) => `${names} nimmt im Moment keine Termine an. `,
  preferredAvailable: (service, who, role, at) =>
    `Gerne! Ich kann Ihnen ${service} bei ${who}${
      role ? " (Ihre bevorzugte Ansprechperson)" : ""
    } ${at} anbieten. Passt das?`,
  preferredUnavailable: (who, _role, period) =>
    `${who}, bei der/dem Sie sonst sind, ist ${period} ausgebucht. Ich kann anbieten:`,
  whichPrefer: "Was ist Ihnen lieber?",
  bestMatch: (at, who) => `Ich habe ${at} einen Termin frei${who ? ` bei ${who}` : ""}.`,
  shallBook: "Soll ich ihn buchen?",
  urgent: (who, at) =>
    `Ich verstehe, es ist dringend. Der früheste freie Termin ist${
      who ? ` bei ${who}` : ""
    } ${at}. Soll ich ihn gleich buchen?`,
  earliest: (who, at) =>
    `Der früheste freie Termin ist${who ? ` bei ${who}` : ""} ${at}. Soll ich ihn buchen?`,
  explicitAvailable: (who, at) => `Sehr gerne! ${who} hat ${at} Zeit. Passt das?`,
  explicitUnavailable: (who) =>
    `${who} hat dann leider keine Zeit. Die nächsten freien Termine bei ${who}:`,
  nobody: "Leider ist dann niemand frei. Die nächsten freien Termine:",
  whichOne: "Welcher Termin passt Ihnen?",
  nothing: (service) =>
    `Leider habe ich in den nächsten Wochen keinen freien Termin für ${service} gefunden. Bitte rufen Sie uns an.`,
  beyond: (days) =>
    `Ich kann nur bis zu ${days} Tage im Voraus buchen. Welches frühere Datum passt Ihnen?`,
  askService: "Welche Behandlung möchten Sie?",
  askTeamMember: (service) => `Bei wem möchten Sie ${service}?`,
  booked: (who, service, at) =>
    `Ihr Termin ist bestätigt${who ? ` bei ${who}` : ""}! ${service}, ${at}.`,
  moved: (who, service, at) =>
    `Ihr Termin wurde verschoben: ${service}${who ? ` bei ${who}` : ""}, ${at}.`,
  askKeep: (who, service) => `Möchten Sie auch künftig für ${service} bei ${who} buchen?`,
  added: (who) => `Ich habe ${who} zu Ihren bevorzugten Ansprechpersonen hinzugefügt.`,
  kept: (who) => `Notiert: Nächstes Mal schlage ich zuerst ${who} vor.`,
  notKept: "In Ordnung, ich schlage weiterhin vor, wer am besten passt.",
  askOther: (service) =>
    `Kein Problem. Wann passt es Ihnen besser${service ? ` für ${service}` : ""}?`,
  noBookings: "Sie haben keine bevorstehenden Termine bei uns.",
  pickCancel: "Welchen Termin möchten Sie absagen?",
  pickReschedule: "Welchen Termin möchten Sie verschieben?",
  confirmCancel: (line) => `Diesen Termin absagen: ${line}?`,
  cancelled: (line) => `Ihr Termin ist abgesagt: ${line}.`,
  cancelKept: "Gut, Ihr Termin bleibt bestehen.",
  bookingsTitle: "Ihre nächsten Termine:",
  hoursTitle: "Unsere Öffnungszeiten:",
  closedTitle: "Geschlossen:",
  pricesTitle: "Unsere Preise:",
  whoTitle: "Wer bietet was an:",
  preferenceChanged: (who) => `Erledigt: Ab jetzt schlage ich zuerst ${who} vor.`,
  askPreferenceMember: "Zu wem möchten Sie künftig gehen?",
  handoff:
    "Ich habe unser Team gebeten, sich persönlich bei Ihnen zu melden. Sie erhalten hier bald eine Antwort.",
  stopped:
    "Sie erhalten keine Nachrichten mehr von uns. Schreiben Sie uns jederzeit, wenn Sie einen Termin brauchen.",
  greeting: (business, name) =>
    `Grüezi${
      name ? ` ${name.split(" ")[0]}` : ""
    }! Willkommen bei ${business}. Wie kann ich helfen? Sie können hier Termine buchen, verschieben oder absagen.`,
  thanks: "Gern geschehen! 😊",
  reminderConfirmed: (line) => `Danke für Ihre Bestätigung! Bis bald: ${line}.`,
  bookingChanged: (line) =>
    line
      ? `Dieser Termin wurde geändert. Ihr aktueller Termin: ${line}.`
      : "Dieser Termin ist abgesagt oder schon vorbei. Schreiben Sie mir, wenn Sie einen neuen möchten.",
  rated: (stars) => `Vielen Dank für Ihre Bewertung (${stars}/5)!`,
  nothingWaitlist: (service) =>
    `Leider habe ich in den nächsten Wochen keinen freien Termin für ${service} gefunden. Soll ich Sie auf die Warteliste setzen? Ich melde mich, sobald ein Termin frei wird.`,
  waitlistJoined: (service, who) =>
    `Sie stehen auf der Warteliste für ${service}${
      who ? ` bei ${who}` : ""
    }. Ich melde mich, sobald ein Termin frei wird.`,
  waitlistNotJoined: "In Ordnung. Schreiben Sie mir jederzeit, wenn Sie einen Termin möchten.",
  orWaitlist:
    "Oder soll ich Sie für die gewünschte Zeit auf die Warteliste setzen? Ich melde mich, sobald etwas frei wird.",
  waitlistDeclined: "In Ordnung, ich habe den Termin wieder freigegeben.",
  waitlistOfferOver: "Entschuldigung, dieses Angebot gilt nicht mehr.",
  quickReplyInvalid:
    "Entschuldigung, diese Schaltfläche gilt nicht mehr. Wie kann ich Ihnen helfen?",
  notUnderstood:
    "Entschuldigung, das habe ich nicht ganz verstanden. Was möchten Sie buchen, und wann?",
  notUnderstoodOffer:
    "Entschuldigung, das habe ich nicht verstanden. Bitte wählen Sie eine Option oder nennen Sie eine andere Zeit.",
  chooseAgain: "Bitte wählen Sie eine dieser Optionen:",
  days: { mon: "Mo", tue: "Di", wed: "Mi", thu: "Do", fri: "Fr", sat: "Sa", sun: "So" },
  parts: { morning: "Vormittag", midday: "Mittag", afternoon: "Nachmittag", evening: "Abend" },
  then: "dann",
  minutes: "Min.",
};

const fr: Texts = {
  yes: "Oui",
  yesBook: "Oui, réserver",
  otherTime: "Autre moment",
  no: "Non",
  choose: "Choisir",
  lost: "Désolé, ce créneau vient d'être pris. ",
  rescheduling: "Cherchons une nouvelle date pour votre rendez-vous. ",
  notOffer: (names, service) => `${names} ne propose pas ${service}. `,
  notBookable: (names) => `${names} ne prend pas de rendez-vous en ce moment. `,
  preferredAvailable: (service, who, role, at) =>
    `Parfait ! Je peux vous réserver ${service} avec ${who}${
      role ? " (votre préférence)" : ""
    } ${at}. Cela vous convient ?`,
  preferredUnavailable: (who, _role, period) =>
    `${who}, que vous voyez d'habitude, est complet ${period}. Je peux vous proposer :`,
  whichPrefer: "Que préférez-vous ?",
  bestMatch: (at, who) => `J'ai un créneau ${at}${who ? ` avec ${who}` : ""}.`,
  shallBook: "Je le réserve ?",
  urgent: (who, at) =>
    `Je comprends que c'est urgent. Le premier rendez-vous libre est${
      who ? ` avec ${who}` : ""
    } ${at}. Je le réserve tout de suite ?`,
  earliest: (who, at) =>
    `Le premier rendez-vous libre est${who ? ` avec ${who}` : ""} ${at}. Je le réserve ?`,
  explicitAvailable: (who, at) => `Volontiers ! ${who} est disponible ${at}. Cela vous convient ?`,
  explicitUnavailable: (who) =>
    `${who} n'est pas disponible à ce moment-là. Prochains créneaux de ${who} :`,
  nobody: "Désolé, personne n'est libre à ce moment-là. Prochains rendez-vous libres :",
  whichOne: "Lequel vous convient ?",
  nothing: (service) =>
    `Désolé, je n'ai trouvé aucun créneau libre pour ${service} ces prochaines semaines. Merci de nous appeler.`,
  beyond: (days) =>
    `Je peux réserver au maximum ${days} jours à l'avance. Quelle date plus proche vous convient ?`,
  askService: "Quel soin souhaitez-vous ?",
  askTeamMember: (service) => `Avec qui souhaitez-vous ${service} ?`,
  booked: (who, service, at) =>
    `Votre rendez-vous est confirmé${who ? ` avec ${who}` : ""} ! ${service}, ${at}.`,
  moved: (who, service, at) =>
    `Votre rendez-vous a été déplacé : ${service}${who ? ` avec ${who}` : ""}, ${at}.`,
  askKeep: (who, service) => `Souhaitez-vous réserver avec ${who} à l'avenir pour ${service} ?`,
  added: (who) => `J'ai ajouté ${who} à vos préférences.`,
  kept: (who) => `C'est noté : la prochaine fois je proposerai d'abord ${who}.`,
  notKept: "D'accord, je continuerai à proposer la personne la plus adaptée.",
  askOther: (service) =>
    `Pas de problème. Quand cela vous conviendrait-il mieux${service ? ` pour ${service}` : ""} ?`,
  noBookings: "Vous n'avez aucun rendez-vous à venir chez nous.",
  pickCancel: "Quel rendez-vous souhaitez-vous annuler ?",
  pickReschedule: "Quel rendez-vous souhaitez-vous déplacer ?",
  confirmCancel: (line) => `Annuler ce rendez-vous : ${line} ?`,
  cancelled: (line) => `Votre rendez-vous est annulé : ${line}.`,
  cancelKept: "D'accord, votre rendez-vous est maintenu.",
  bookingsTitle: "Vos prochains rendez-vous :",
  hoursTitle: "Nos horaires :",
  closedTitle: "Fermé :",
  pricesTitle: "Nos tarifs :",
  whoTitle: "Qui propose quoi :",
  preferenceChanged: (who) => `C'est fait : je proposerai désormais d'abord ${who}.`,
  askPreferenceMember: "Qui souhaitez-vous voir à l'avenir ?",
  handoff:
    "J'ai demandé à notre équipe de vous répondre personnellement. Vous aurez bientôt une réponse ici.",
  stopped:
    "Vous ne recevrez plus de messages de notre part. Écrivez-nous à tout moment pour un rendez-vous.",
  greeting: (business, name) =>
    `Bonjour${
      name ? ` ${name.split(" ")[0]}` : ""
    } ! Bienvenue chez ${business}. Comment puis-je vous aider ? Vous pouvez réserver, déplacer ou annuler un rendez-vous ici.`,
  thanks: "Avec plaisir ! 😊",
  reminderConfirmed: (line) => `Merci pour votre confirmation ! À bientôt : ${line}.`,
  bookingChanged: (line) =>
    line
      ? `Ce rendez-vous a changé. Votre rendez-vous actuel : ${line}.`
      : "Ce rendez-vous a été annulé ou a déjà eu lieu. Écrivez-moi si vous en souhaitez un nouveau.",
  rated: (stars) => `Merci beaucoup pour votre note (${stars}/5) !`,
  nothingWaitlist: (service) =>
    `Désolé, je n'ai trouvé aucun rendez-vous libre pour ${service} dans les prochaines semaines. Voulez-vous que je vous inscrive sur la liste d'attente ? Je vous écris dès qu'un créneau se libère.`,
  waitlistJoined: (service, who) =>
    `Vous êtes sur la liste d'attente pour ${service}${
      who ? ` avec ${who}` : ""
    }. Je vous écris dès qu'un créneau se libère.`,
  waitlistNotJoined: "D'accord. Écrivez-moi quand vous voulez pour un rendez-vous.",
  orWaitlist:
    "Ou voulez-vous que je vous inscrive sur la liste d'attente pour ce moment-là ? Je vous écris dès qu'une place se libère.",
  waitlistDeclined: "D'accord, j'ai libéré ce créneau.",
  waitlistOfferOver: "Désolé, cette offre n'est plus valable.",
  quickReplyInvalid: "Désolé, ce bouton n'est plus valable. Comment puis-je vous aider ?",
  notUnderstood: "Désolé, je n'ai pas bien compris. Que souhaitez-vous réserver, et quand ?",
  notUnderstoodOffer:
    "Désolé, je n'ai pas compris. Choisissez une option ou indiquez-moi un autre moment.",
  chooseAgain: "Veuillez choisir l'une de ces options :",
  days: { mon: "lun", tue: "mar", wed: "mer", thu: "jeu", fri: "ven", sat: "sam", sun: "dim" },
  parts: { morning: "matin", midday: "à midi", afternoon: "après-midi", evening: "soir" },
  then: "à ce moment-là",
  minutes: "min",
};

const it: Texts = {
  yes: "Sì",
  yesBook: "Sì, prenota",
  otherTime: "Altro orario",
  no: "No",
  choose: "Scegli",
  lost: "Mi dispiace, quell'orario è appena stato preso. ",
  rescheduling: "Cerchiamo una nuova data per il suo appuntamento. ",
  notOffer: (names, service) => `${names} non offre ${service}. `,
  notBookable: (names) => `${names} al momento non accetta appuntamenti. `,
  preferredAvailable: (service, who, role, at) =>
    `Perfetto! Posso prenotarle ${service} con ${who}${
      role ? " (la sua preferenza)" : ""
    } ${at}. Le va bene?`,
  preferredUnavailable: (who, _role, period) =>
    `${who}, che vede di solito, è al completo ${period}. Posso offrirle:`,
  whichPrefer: "Cosa preferisce?",
  bestMatch: (at, who) => `Ho disponibile ${at}${who ? ` con ${who}` : ""}.`,
  shallBook: "Lo prenoto?",
  urgent: (who, at) =>
    `Capisco che è urgente. Il primo appuntamento libero è${
      who ? ` con ${who}` : ""
    } ${at}. Lo prenoto subito?`,
  earliest: (who, at) =>
    `Il primo appuntamento libero è${who ? ` con ${who}` : ""} ${at}. Lo prenoto?`,
  explicitAvailable: (who, at) => `Certamente! ${who} è disponibile ${at}. Le va bene?`,
  explicitUnavailable: (who) =>
    `${who} non è disponibile in quel momento. I prossimi orari liberi di ${who}:`,
  nobody: "Mi dispiace, in quel momento non c'è nessuno libero. I prossimi appuntamenti liberi:",
  whichOne: "Quale preferisce?",
  nothing: (service) =>
    `Mi dispiace, non ho trovato posti liberi per ${service} nelle prossime settimane. La preghiamo di chiamarci.`,
  beyond: (days) =>
    `Posso prenotare al massimo ${days} giorni in anticipo. Quale data più vicina le va bene?`,
  askService: "Quale trattamento desidera?",
  askTeamMember: (service) => `Con chi desidera ${service}?`,
  booked: (who, service, at) =>
    `Il suo appuntamento è confermato${who ? ` con ${who}` : ""}! ${service}, ${at}.`,
  moved: (who, service, at) =>
    `Il suo appuntamento è stato spostato: ${service}${who ? ` con ${who}` : ""}, ${at}.`,
  askKeep: (who, service) => `Desidera prenotare con ${who} anche in futuro per ${service}?`,
  added: (who) => `Ho aggiunto ${who} alle sue preferenze.`,
  kept: (who) => `Annotato: la prossima volta proporrò prima ${who}.`,
  notKept: "Va bene, continuerò a proporre la persona più adatta.",
  askOther: (service) =>
    `Nessun problema. Quando le andrebbe meglio${service ? ` per ${service}` : ""}?`,
  noBookings: "Non ha appuntamenti in programma da noi.",
  pickCancel: "Quale appuntamento desidera annullare?",
  pickReschedule: "Quale appuntamento desidera spostare?",
  confirmCancel: (line) => `Annullare questo appuntamento: ${line}?`,
  cancelled: (line) => `Il suo appuntamento è annullato: ${line}.`,
  cancelKept: "Va bene, il suo appuntamento resta invariato.",
  bookingsTitle: "I suoi prossimi appuntamenti:",
  hoursTitle: "I nostri orari:",
  closedTitle: "Chiuso:",
  pricesTitle: "I nostri prezzi:",
  whoTitle: "Chi offre cosa:",
  preferenceChanged: (who) => `Fatto: d'ora in poi proporrò prima ${who}.`,
  askPreferenceMember: "Chi desidera vedere in futuro?",
  handoff:
    "Ho chiesto al nostro team di risponderle personalmente. Ricevera presto una risposta qui.",
  stopped: "Non riceverà più messaggi da noi. Ci scriva quando vuole per un appuntamento.",
  greeting: (business, name) =>
    `Buongiorno${
      name ? ` ${name.split(" ")[0]}` : ""
    }! Benvenuto da ${business}. Come posso aiutarla? Qui può prenotare, spostare o annullare un appuntamento.`,
  thanks: "Prego! 😊",
  reminderConfirmed: (line) => `Grazie per la conferma! A presto: ${line}.`,
  bookingChanged: (line) =>
    line
      ? `Questo appuntamento è cambiato. Il suo appuntamento attuale: ${line}.`
      : "Questo appuntamento è stato annullato o è già passato. Mi scriva se ne desidera uno nuovo.",
  rated: (stars) => `Grazie mille per la sua valutazione (${stars}/5)!`,
  nothingWaitlist: (service) =>
    `Mi dispiace, non ho trovato appuntamenti liberi per ${service} nelle prossime settimane. Vuole che la metta in lista d'attesa? Le scrivo appena si libera un orario.`,
  waitlistJoined: (service, who) =>
    `È in lista d'attesa per ${service}${
      who ? ` con ${who}` : ""
    }. Le scrivo appena si libera un orario.`,
  waitlistNotJoined: "D'accordo. Mi scriva quando vuole per un appuntamento.",
  orWaitlist:
    "Oppure vuole che la metta in lista d'attesa per l'orario richiesto? Le scrivo appena si libera qualcosa.",
  waitlistDeclined: "D'accordo, ho liberato l'orario.",
  waitlistOfferOver: "Mi dispiace, questa offerta non è più valida.",
  quickReplyInvalid: "Mi scusi, questo pulsante non è più valido. Come posso aiutarla?",
  notUnderstood: "Mi scusi, non ho capito bene. Cosa desidera prenotare, e quando?",
  notUnderstoodOffer: "Mi scusi, non ho capito. Scelga un'opzione o mi indichi un altro orario.",
  chooseAgain: "Scelga una di queste opzioni:",
  days: { mon: "lun", tue: "mar", wed: "mer", thu: "gio", fri: "ven", sat: "sab", sun: "dom" },
  parts: { morning: "mattina", midday: "a mezzogiorno", afternoon: "pomeriggio", evening: "sera" },
  then: "in quel momento",
  minutes: "min",
};

export const texts: Record<Language, Texts> = { en, de, fr, it };

/** A "when" without its preposition, for sentences that need none ("I have Tuesday ... available"). */
function bare(at: string): string {
  return at.replace(/^on /, "");
}

/** "a dental cleaning" (English only; other languages name the service as it is). */
function article(service: string): string {
  const lower = service.toLowerCase();
  return /^[aeiou]/.test(lower) ? `an ${lower}` : `a ${lower}`;
}
function plural(service: string): string {
  const last = service.toLowerCase().split(" ").pop() ?? service;
  return last.endsWith("s") ? last : `${last}s`;
}

/** Renders the decision's reply as a WhatsApp message in the reply's language. */
export function render(reply: Reply, ctx: WordingContext): OutboundMessage {
  const language = reply.language;
  const t = texts[language];
  const at = (iso: string | null | undefined) =>
    iso ? when(new Date(iso), language, ctx.timeZone, ctx.now) : "";
  const who = (o: { team_member_name?: string | null; is_general?: boolean | null }) =>
    o.is_general || !o.team_member_name ? "" : shortName(o.team_member_name);
  const yesNo = (text: string): OutboundMessage => ({
    type: "buttons",
    text,
    buttons: [{ id: "yes", title: t.yes }, { id: "no", title: t.no }],
  });
  const optionTitle = (o: ReplyOption) =>
    [who(o), o.starts_at ? shortWhen(new Date(o.starts_at), language, ctx.timeZone) : ""].filter(
      Boolean,
    ).join(", ");
  const choices = (
    text: string,
    items: ReplyOption[],
    title: (o: ReplyOption) => string,
    describe?: (o: ReplyOption) => string,
  ) =>
    items.length <= 3
      ? {
        type: "buttons" as const,
        text,
        buttons: items.map((o) => ({ id: `choice:${o.number}`, title: title(o) })),
      }
      : {
        type: "list" as const,
        text,
        button: t.choose,
        rows: items.slice(0, 10).map((o) => ({
          id: `choice:${o.number}`,
          title: title(o),
          description: describe?.(o) ?? null,
        })),
      };
  const bookingLine = (b: ReplyOption | null | undefined) =>
    b ? [b.service_name, who(b), at(b.starts_at)].filter(Boolean).join(", ") : "";

  switch (reply.say) {
    case "offer":
      return renderOffer(reply, t, who, optionTitle, language, ctx);
    case "booked": {
      const line = reply.rescheduled
        ? t.moved(who(reply), reply.service_name ?? "", at(reply.starts_at))
        : t.booked(who(reply), reply.service_name ?? "", at(reply.starts_at));
      if (reply.ask_preference) {
        return yesNo(`${line}\n\n${t.askKeep(who(reply), reply.service_name ?? "")}`);
      }
      return {
        type: "text",
        text: reply.preference_added ? `${line}\n${t.added(who(reply))}` : line,
      };
    }
    case "ask_service":
      return choices(
        t.askService,
        reply.services ?? [],
        (o) => o.name ?? "",
        (o) =>
          o.cost_chf != null
            ? `CHF ${Number(o.cost_chf)} · ${o.duration_minutes} ${t.minutes}`
            : "",
      );
    case "ask_team_member":
      return choices(
        t.askTeamMember(reply.service_name ?? ""),
        reply.team_members ?? [],
        (o) => o.name ?? "",
        (o) => o.role ?? "",
      );
    case "ask_preference_member":
      return choices(
        t.askPreferenceMember,
        reply.team_members ?? [],
        (o) => o.name ?? "",
        (o) => o.role ?? "",
      );
    case "preference_saved":
      return { type: "text", text: t.kept(shortName(reply.team_member_name ?? "")) };
    case "preference_not_saved":
      return { type: "text", text: t.notKept };
    case "preference_changed":
      return { type: "text", text: t.preferenceChanged(shortName(reply.team_member_name ?? "")) };
    case "ask_other_time":
      if (reply.waitlist) {
        return yesNo(`${t.askOther(reply.service_name ?? "")}\n\n${t.orWaitlist}`);
      }
      return { type: "text", text: t.askOther(reply.service_name ?? "") };
    case "nothing_available":
      if (reply.waitlist) {
        return yesNo((reply.lost ? t.lost : "") + t.nothingWaitlist(reply.service_name ?? ""));
      }
      return {
        type: "text",
        text: (reply.lost ? t.lost : "") + t.nothing(reply.service_name ?? ""),
      };
    case "waitlist_joined":
      return { type: "text", text: t.waitlistJoined(reply.service_name ?? "", who(reply)) };
    case "waitlist_not_joined":
      return { type: "text", text: t.waitlistNotJoined };
    case "reminder_confirmed":
      return { type: "text", text: t.reminderConfirmed(bookingLine(reply.booking)) };
    case "booking_changed":
      return { type: "text", text: t.bookingChanged(bookingLine(reply.booking)) };
    case "rated":
      return { type: "text", text: t.rated(reply.rating ?? 0) };
    case "waitlist_declined":
      return { type: "text", text: t.waitlistDeclined };
    case "waitlist_offer_over":
      return { type: "text", text: t.waitlistOfferOver };
    case "quick_reply_invalid":
      return { type: "text", text: t.quickReplyInvalid };
    case "beyond_horizon":
      return { type: "text", text: t.beyond(reply.horizon_days ?? 30) };
    case "no_bookings":
      return { type: "text", text: t.noBookings };
    case "pick_booking":
      return choices(
        reply.for === "cancel" ? t.pickCancel : t.pickReschedule,
        reply.bookings ?? [],
        (o) => o.service_name ?? "",
        (o) => [who(o), at(o.starts_at)].filter(Boolean).join(", "),
      );
    case "confirm_cancel":
      return yesNo(t.confirmCancel(bookingLine(reply.booking)));
    case "cancelled":
      return { type: "text", text: t.cancelled(bookingLine(reply.booking)) };
    case "cancel_kept":
      return { type: "text", text: t.cancelKept };
    case "bookings":
      return {
        type: "text",
        text: (reply.bookings ?? []).length === 0
          ? t.noBookings
          : [t.bookingsTitle, ...(reply.bookings ?? []).map((b) => `📅 ${bookingLine(b)}`)].join(
            "\n",
          ),
      };
    case "opening_hours":
      return { type: "text", text: renderHours(reply, t) };
    case "prices":
      return {
        type: "text",
        text: [
          t.pricesTitle,
          ...(reply.services ?? []).map((s) =>
            `• ${s.name}: CHF ${Number(s.cost_chf)} (${s.duration_minutes} ${t.minutes})`
          ),
        ]
          .join("\n"),
      };
    case "who_does":
      return {
        type: "text",
        text: [
          t.whoTitle,
          ...(reply.services ?? []).map((s) =>
            `• ${s.name}: ${(s.team_members ?? []).map(shortName).join(", ")}`
          ),
        ]
          .join("\n"),
      };
    case "handoff":
      return { type: "text", text: t.handoff };
    case "stopped":
      return { type: "text", text: t.stopped };
    case "greeting":
      return {
        type: "text",
        text: t.greeting(reply.business_name ?? "", reply.customer_name ?? null),
      };
    case "thanks":
      return { type: "text", text: t.thanks };
    case "choose_again":
      return choices(t.chooseAgain, reply.options ?? [], optionTitle);
    default:
      if (reply.awaiting === "offer" && (reply.options ?? []).length > 0) {
        return choices(t.notUnderstoodOffer, reply.options ?? [], optionTitle);
      }
      return { type: "text", text: t.notUnderstood };
  }
}

function renderOffer(
  reply: Reply,
  t: Texts,
  who: (o: ReplyOption) => string,
  optionTitle: (o: ReplyOption) => string,
  language: Language,
  ctx: WordingContext,
): OutboundMessage {
  const atOn = (iso: string | null | undefined) =>
    iso ? when(new Date(iso), language, ctx.timeZone, ctx.now, true) : "";
  const options = reply.options ?? [];
  const first = options[0];
  let prefix = (reply.lost ? t.lost : "") + (reply.rescheduling ? t.rescheduling : "");
  if (reply.note === "team_member_does_not_offer") {
    prefix += t.notOffer((reply.named ?? []).map(shortName).join(", "), reply.service_name ?? "");
  }
  if (reply.note === "team_member_unavailable") {
    prefix += t.notBookable((reply.named ?? []).map(shortName).join(", "));
  }
  const optionButtons = options.map((o) => ({ id: `choice:${o.number}`, title: optionTitle(o) }));
  const yesPlus = (text: string, yesTitle = t.yes): OutboundMessage => ({
    type: "buttons",
    text: prefix + text,
    buttons: [
      { id: "choice:1", title: yesTitle },
      ...optionButtons.slice(1, 2),
      { id: "no", title: t.otherTime },
    ],
  });
  const listed = (head: string, tail: string): OutboundMessage => ({
    type: "buttons",
    text: `${prefix}${head}\n\n${
      options.map((o) => `📅 ${[who(o), atOn(o.starts_at)].filter(Boolean).join(" ")}`).join("\n")
    }\n\n${tail}`,
    buttons: optionButtons.slice(0, 3),
  });
  const atFirst = atOn(first.starts_at);
  switch (reply.outcome) {
    case "preferred_available":
      return yesPlus(
        t.preferredAvailable(
          reply.service_name ?? "",
          who(first),
          reply.preferred?.role ?? null,
          atFirst,
        ),
      );
    case "preferred_unavailable":
      return listed(
        t.preferredUnavailable(
          shortName(reply.preferred?.name ?? ""),
          reply.preferred?.role ?? null,
          period(reply, t, language, ctx),
        ),
        t.whichPrefer,
      );
    case "no_preference": {
      const bio = first.bio ? ` ${first.bio}` : "";
      return yesPlus(`${t.bestMatch(atFirst, who(first))}${bio} ${t.shallBook}`);
    }
    case "urgent":
      return yesPlus(
        reply.urgent ? t.urgent(who(first), atFirst) : t.earliest(who(first), atFirst),
        t.yesBook,
      );
    case "explicit_available":
      return {
        type: "buttons",
        text: prefix + t.explicitAvailable(who(first), atFirst),
        buttons: [{ id: "choice:1", title: t.yes }, ...optionButtons.slice(1, 3)],
      };
    case "explicit_unavailable":
      return listed(t.explicitUnavailable(who(first)), t.whichOne);
    default:
      return listed(t.nobody, t.whichOne);
  }
}

/** "Friday morning" / "am Freitag Vormittag" / "vendredi matin" / "venerdì mattina", or "then". */
function period(reply: Reply, t: Texts, language: Language, ctx: WordingContext): string {
  if (!reply.window_from) return t.then;
  const day = weekdayName(new Date(reply.window_from), language, ctx.timeZone);
  const part = reply.part_of_day ? t.parts[reply.part_of_day] ?? "" : "";
  if (language === "de") return `am ${day}${part ? ` ${part}` : ""}`;
  if (language === "en") return `${day}${part ? ` ${part}` : ""}`;
  return `${day}${part ? ` ${part}` : ""}`;
}

function renderHours(reply: Reply, t: Texts): string {
  const order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const hours = reply.hours ?? {};
  const lineOf = (day: string) => (hours[day] ?? []).map((i) => `${i.start}–${i.end}`).join(", ");
  const lines: string[] = [];
  let start = 0;
  while (start < order.length) {
    const line = lineOf(order[start]);
    let end = start;
    while (end + 1 < order.length && lineOf(order[end + 1]) === line) end++;
    if (line) {
      const days = start === end
        ? t.days[order[start]]
        : `${t.days[order[start]]}–${t.days[order[end]]}`;
      lines.push(`${days} ${line}`);
    }
    start = end + 1;
  }
  const closures = (reply.closures ?? []).map((c) => {
    const f = (d: string) => d.split("-").reverse().slice(0, 2).join(".") + ".";
    return c.from === c.to ? f(c.from) : `${f(c.from)}–${f(c.to)}`;
  });
  return [
    t.hoursTitle,
    ...lines,
    ...(closures.length ? [`${t.closedTitle} ${closures.join(", ")}`] : []),
  ].join("\n");
}
