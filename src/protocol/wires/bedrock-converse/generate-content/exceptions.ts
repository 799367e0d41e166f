/**
 * Bedrock's exceptions as gateway errors, both ways. Streams name them in camelCase
 * (`throttlingException`, the ConverseStream output members); HTTP error answers in PascalCase
 * (`ThrottlingException` in `x-amzn-errortype`). Either spelling is accepted.
 */
import { GatewayError, type ErrorCode } from '../../../../core/errors';

const CODE_OF: Readonly<Record<string, ErrorCode>> = {
  throttlingexception: 'rate_limited',
  servicequotaexceededexception: 'rate_limited',
  serviceunavailableexception: 'overloaded',
  modelnotreadyexception: 'overloaded',
  modeltimeoutexception: 'upstream_timeout',
  validationexception: 'invalid_request',
  resourcenotfoundexception: 'not_found',
};

/** Whether an event-stream event name is one of the stream's exception members. */
export function isExceptionName(name: string): boolean {
  return /exception$/i.test(name);
}

/** A Bedrock exception as the error a client gets: the exception's name stays in the message. */
export function errorFromException(name: string, message: string | undefined): GatewayError {
  const code = CODE_OF[name.toLowerCase()] ?? 'upstream_error';
  const text = message === undefined || message === '' ? 'no message' : message;
  return new GatewayError(code, `Bedrock ${name}: ${text}`, {
    retryable: code === 'rate_limited' || code === 'overloaded' || code === 'upstream_timeout',
  });
}

/** The stream exception member that best says what a gateway error was (for encoding streams). */
export function exceptionNameFor(error: GatewayError): string {
  switch (error.kind) {
    case 'rate_limit':
      return 'throttlingException';
    case 'quota':
      return 'serviceQuotaExceededException';
    case 'overloaded':
      return 'serviceUnavailableException';
    case 'invalid_request':
    case 'too_large':
      return 'validationException';
    case 'upstream':
    case 'timeout':
      return 'modelStreamErrorException';
    default:
      return 'internalServerException';
  }
}
