// The one place the webhook's responder is chosen: text and interactive messages go to the
// booking conversation (#11), which decides in SQL and queues its reply in the channel's
// transaction.
export { respond } from "../_shared/conversation/respond.ts";
