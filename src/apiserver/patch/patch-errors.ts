// The error answers of PATCH as kube-apiserver gives them: which failures are 400, which are the
// generic 422 (whose detail kube-apiserver drops from the message), and which surface as plain
// 500s because upstream returns a bare Go error for them. Messages quote at most about a
// kilobyte of the patch or the object, however large the value they name.
import { echoInput, ApiError } from '../../api/index.js';

const maxMessageChars = 1024;

export const patchErrors = {
  /** errors.NewBadRequest(message): 400 with no details. */
  badRequest(message: string): ApiError {
    return ApiError.badRequest(echoInput(message, maxMessageChars));
  },

  /**
   * A patch whose directives or shape cannot be applied. kube-apiserver answers most of these
   * with a bare 500 (strategicpatch returns plain Go errors); they are the client's mistake, so
   * here they are a 400 carrying the same text.
   */
  malformed(message: string): ApiError {
    return ApiError.badRequest(echoInput(message, maxMessageChars));
  },

  /**
   * errors.NewGenericServerResponse(422, ...): the message is a fixed sentence and the real reason
   * is not sent to the client; we keep it as `cause` for logs and tests.
   */
  unprocessable(detail: string): ApiError {
    return new ApiError(
      422,
      'Invalid',
      'the server rejected our request due to an error in our request',
      {},
      { cause: new Error(echoInput(detail, maxMessageChars)) },
    );
  },

  /** A bare Go error reaching the handler: 500, reason unknown, the error text as message. */
  bareError(message: string): ApiError {
    return new ApiError(500, '', echoInput(message, maxMessageChars));
  },

  /** A JSON patch longer than kube-apiserver's operation limit. */
  tooManyOperations(limit: number, got: number): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${limit}, got ${got}`);
  },

  /** A JSON patch whose operations would shift more array elements than Skiff allows (no kube limit). */
  tooMuchShifting(limit: number): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: the operations of a JSON patch may shift at most ${limit} array elements`);
  },

  unsupportedMediaType(accepted: readonly string[]): ApiError {
    return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
  },
};
