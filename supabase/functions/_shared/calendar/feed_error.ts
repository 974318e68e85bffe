/** A calendar error whose message is safe to store, log and show: never an address or secret. */
export class FeedError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "FeedError";
  }
}
