/**
 * The store could not be reached or did not answer in time. Nothing was acknowledged; the request may be
 * tried again later, so the API answers `503` rather than `500`.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}
