// The seed's catalogue as an interpreter context, for the interpreter's unit tests.
import type { InterpretContext } from "./intent.ts";

export const ids = {
  cleaning: "50000000-0000-4000-8000-000000000001",
  filling: "50000000-0000-4000-8000-000000000002",
  implant: "50000000-0000-4000-8000-000000000003",
  whitening: "50000000-0000-4000-8000-000000000004",
  massage: "50000000-0000-4000-8000-000000000005",
  weber: "70000000-0000-4000-8000-000000000001",
  schmidt: "70000000-0000-4000-8000-000000000002",
  mueller: "70000000-0000-4000-8000-000000000003",
  sarah: "70000000-0000-4000-8000-000000000004",
  michael: "70000000-0000-4000-8000-000000000005",
};

/** Sunday 29 November 2026, 12:00 in Zurich. */
export const NOW = new Date("2026-11-29T11:00:00Z");

export function worldContext(overrides: Partial<InterpretContext> = {}): InterpretContext {
  return {
    now: NOW,
    timeZone: "Europe/Zurich",
    language: "de",
    services: [
      {
        id: ids.cleaning,
        name: "Dental Cleaning",
        synonyms: [
          "cleaning",
          "dental hygiene",
          "Zahnreinigung",
          "Dentalhygiene",
          "détartrage",
          "nettoyage",
          "pulizia",
          "pulizia dei denti",
          "igiene dentale",
        ],
      },
      {
        id: ids.filling,
        name: "Tooth Filling",
        synonyms: [
          "filling",
          "cavity",
          "Füllung",
          "Plombe",
          "plombage",
          "carie",
          "otturazione",
          "Karies",
        ],
      },
      {
        id: ids.implant,
        name: "Dental Implant",
        synonyms: ["implant", "Implantat", "implant dentaire", "impianto"],
      },
      {
        id: ids.whitening,
        name: "Teeth Whitening",
        synonyms: ["whitening", "bleaching", "Zahnaufhellung", "blanchiment", "sbiancamento"],
      },
      {
        id: ids.massage,
        name: "Deep Tissue Massage",
        synonyms: ["massage", "deep tissue", "Massage", "Tiefengewebsmassage", "massaggio"],
      },
    ],
    teamMembers: [
      {
        id: ids.weber,
        name: "Dr. Sarah Weber",
        serviceIds: [ids.cleaning, ids.filling, ids.implant, ids.whitening],
      },
      { id: ids.schmidt, name: "Dr. Schmidt", serviceIds: [ids.cleaning, ids.filling] },
      { id: ids.mueller, name: "Dr. Müller", serviceIds: [ids.cleaning, ids.filling] },
      { id: ids.sarah, name: "Sarah", serviceIds: [ids.massage] },
      { id: ids.michael, name: "Michael", serviceIds: [ids.massage] },
    ],
    offered: [],
    awaiting: null,
    ...overrides,
  };
}
