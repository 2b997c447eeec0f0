/** An answer made by the gateway itself (no upstream call): the models listing, a token-count estimate, later a cache hit. */
export interface LocalAnswer {
  status: number
  body: unknown
  headers: Record<string, string>
}
