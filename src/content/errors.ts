// The one error content loading throws: the file, the entry and the field, and what to fix.
// Its own module so the CLI can recognise it without loading the YAML reader.
export class ContentError extends Error {
  override name = 'ContentError';
}
