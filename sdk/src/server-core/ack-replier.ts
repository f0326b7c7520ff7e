/**
 * The callback a server handler gets for an event that asked for an acknowledgement: `send`
 * runs with the reply the first time it is called, and later calls do nothing, as in socket.io.
 */
export function ackReplier(send: (reply: unknown[]) => void): (...reply: unknown[]) => void {
  let sent = false;
  return (...reply) => {
    if (sent) return;
    sent = true;
    send(reply);
  };
}
