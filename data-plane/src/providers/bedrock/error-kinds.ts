import type { ErrorKindTable } from '../error-kinds.ts'

// Bedrock's exception names (`x-amzn-errortype`, `__type`, a stream's `:exception-type`) → kinds.
export const bedrockErrorKinds: ErrorKindTable = {
  names: {
    throttlingexception: 'rate_limited',
    servicequotaexceededexception: 'rate_limited',
    modelstreamerrorexception: 'stream_error',
    modeltimeoutexception: 'timeout',
    modelerrorexception: 'server_error',
    internalserverexception: 'server_error',
    serviceunavailableexception: 'overloaded',
    modelnotreadyexception: 'overloaded',
  },
  messages: [[/too many input tokens|input is too long|context length/i, 'context_length']],
}
