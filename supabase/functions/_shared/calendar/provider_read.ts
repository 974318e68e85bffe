// What one read of a Google or Outlook calendar hands to SQL (private.apply_calendar_provider_read):
// changed events with whether they block time, and removed ids. Times are instants, or for all-day
// events business-local dates (SQL turns them into the business day), or a local time and zone.
export type EventChange = {
  id: string;
  busy: boolean;
  starts_at?: string;
  ends_at?: string;
  start_date?: string;
  end_date?: string;
  start_local?: string;
  end_local?: string;
  zone?: string;
};

export type CalendarRead = {
  full: boolean;
  changes: EventChange[];
  removed: string[];
  syncToken: string | null;
  skipped: number;
};

export type ReadWindow = { start: Date; end: Date };

/** Our own booking events carry this private property (Google) / are known by their id. */
export const BOOKING_MARKER = "staffAwareBookingId";
/** Outlook: our booking events carry a transactionId with this prefix. */
export const OWN_TRANSACTION_PREFIX = "staff-aware-booking-";

// Long reads are cut off: a calendar with more pages than this is refused rather than stored half.
export const MAX_PAGES = 200;
