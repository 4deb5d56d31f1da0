// @wsd/client: the JavaScript/TypeScript SDK of wsd. See docs/sdk-js.md.
export { WsdClient, connect, TRANSPORTS } from './client.js';
export { AdminClient } from './admin.js';
export type { AdminClientOptions, ProjectInfo, TokenInfo, CreatedProject, WebhookEvent, WebhookInfo, CreatedWebhook } from './admin.js';
export { MailClient, sendMail } from './mail.js';
export { ServerApi, KICK_CLOSE_CODE } from './server_api.js';
export type { ServerApiOptions, ServerSendOptions, ServerSendResult, ServerMulticastResult, KickTarget } from './server_api.js';
export type { MailClientOptions } from './mail.js';
export { CallAgent, Call } from './webrtc.js';
export type { CallAgentOptions, CallOptions, CallEvents, CallAgentEvents, CallState, CallEndReason, PeerConnectionState } from './webrtc.js';
export { WsdError } from './errors.js';
export type { WsdErrorDetails } from './errors.js';
export {
  SERVER_ERROR_CODES,
  SDK_ERROR_CODES,
  CLOSE_CODES,
  CLOSE_REASONS,
  isRetryableCode,
  isRetryableClose,
} from './codes.js';
export type { ErrorCode, ServerErrorCode, SdkErrorCode, ErrorCodeInfo, CloseCode, CloseCodeInfo, CloseReason } from './codes.js';
export { CLIENT_MESSAGE_TYPES, SERVER_MESSAGE_TYPES } from './protocol.js';
export { backoffDelay, backoffPolicy, DEFAULT_RECONNECT } from './backoff.js';
export type * from './types.js';
