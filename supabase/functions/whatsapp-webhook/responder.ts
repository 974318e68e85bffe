// The one place the webhook's responder is chosen. Text and interactive messages go to the
// booking conversation; until branch `conversation` (#11) is merged this is a minimal
// acknowledgement responder (it echoes and offers two buttons, so a message, a reply with
// buttons and a tap round trip can be tested). At merge it becomes:
//   export { respond } from "../_shared/conversation/respond.ts";
import { queueMessage, type Responder } from "../_shared/whatsapp/responder.ts";

export const respond: Responder = async (tx, message) => {
  if (message.kind === "text") {
    await queueMessage(tx, message.contactId, {
      type: "buttons",
      text: `Received: ${message.text ?? ""}`,
      buttons: [{ id: "ack-yes", title: "Yes" }, { id: "ack-no", title: "No" }],
    }, message.id);
  } else {
    await queueMessage(tx, message.contactId, {
      type: "text",
      text: `You chose: ${message.text ?? message.replyId ?? "?"}`,
    }, message.id);
  }
};
