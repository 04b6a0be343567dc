/** A payload that cannot be decoded at all: answered with 400 / INVALID_ARGUMENT. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}
