/** Span attribute and baggage key for the chat session id (semantic convention). */
export const SESSION_ID = 'session.id';
/** Span attribute and baggage key for the chat message id. */
export const MESSAGE_ID = 'streamtrace.message.id';
