/** Sent upstream when the client named no version (the one every Anthropic SDK pins). */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01'
