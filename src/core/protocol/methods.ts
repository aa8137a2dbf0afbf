/**
 * One declaration per MCP method. The host and the built-in servers import the same declaration,
 * so a method name or a parameter shape cannot drift between the two sides.
 */
import { NotificationType, NotificationType0, ParameterStructures, RequestType, RequestType0 } from 'vscode-jsonrpc/node';
import type {
  CallToolParams,
  CallToolResult,
  CancelledParams,
  EmptyResult,
  InitializeParams,
  InitializeResult,
  ListToolsParams,
  ListToolsResult,
  LoggingMessageParams,
  ProgressParams,
  SetLevelParams,
} from './types';

const byName = ParameterStructures.byName;

export namespace Initialize {
  export const method = 'initialize' as const;
  export const type = new RequestType<InitializeParams, InitializeResult, void>(method, byName);
}

export namespace Initialized {
  export const method = 'notifications/initialized' as const;
  export const type = new NotificationType0(method);
}

export namespace Ping {
  export const method = 'ping' as const;
  export const type = new RequestType0<EmptyResult, void>(method);
}

export namespace ToolsList {
  export const method = 'tools/list' as const;
  export const type = new RequestType<ListToolsParams, ListToolsResult, void>(method, byName);
}

export namespace ToolsCall {
  export const method = 'tools/call' as const;
  export const type = new RequestType<CallToolParams, CallToolResult, void>(method, byName);
}

export namespace ToolsListChanged {
  export const method = 'notifications/tools/list_changed' as const;
  export const type = new NotificationType0(method);
}

export namespace Cancelled {
  export const method = 'notifications/cancelled' as const;
  export const type = new NotificationType<CancelledParams>(method, byName);
}

export namespace Progress {
  export const method = 'notifications/progress' as const;
  export const type = new NotificationType<ProgressParams>(method, byName);
}

export namespace LoggingSetLevel {
  export const method = 'logging/setLevel' as const;
  export const type = new RequestType<SetLevelParams, EmptyResult, void>(method, byName);
}

export namespace LoggingMessage {
  export const method = 'notifications/message' as const;
  export const type = new NotificationType<LoggingMessageParams>(method, byName);
}

/** JSON-RPC error codes used on the wire. */
export const JsonRpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
} as const;
