// The platform-neutral shapes every door speaks, re-exported where the conversation layer has always
// offered them. They live in src/shapes/, below the flows, so no inner layer imports this one.
export * from '../shapes/turn.ts';
export * from '../shapes/reply.ts';
