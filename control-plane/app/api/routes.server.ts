import { getLog, listLogs } from './routes/logs.server.ts'
import { getProvider, listProviders, patchProvider, postProvider, postProviderTest, removeProvider } from './routes/providers.server.ts'
import {
  deleteVirtualKey,
  getVirtualKey,
  listVirtualKeys,
  patchVirtualKey,
  postVirtualKey,
  postVirtualKeyRotation,
} from './routes/virtual-keys.server.ts'
import type { RouteDefinition } from './router.server.ts'
import {
  ConnectionTestResult,
  CreatedVirtualKeyResource,
  CreateProviderBody,
  CreateVirtualKeyBody,
  listOf,
  ListQuery,
  LogListQuery,
  ProviderResource,
  RequestLogResource,
  RotateVirtualKeyBody,
  UpdateProviderBody,
  UpdateVirtualKeyBody,
  VirtualKeyResource,
} from './schemas.ts'
import { ROUTE_ROUTES } from './route-routes.server.ts'
import { TEAM_ROUTES } from './team-routes.server.ts'

// Every admin API operation, in one table: the router dispatches from it and openapi.json is
// generated from it. Team administration (team, members, invites, admin tokens, audit) lives in
// team-routes.server.ts and is spread in at the end.
export const ADMIN_ROUTES: RouteDefinition[] = [
  {
    method: 'GET', path: '/providers', operationId: 'listProviders', permission: 'providers.read', tag: 'providers', summary: 'List provider connections',
    query: ListQuery, status: 200, response: listOf(ProviderResource), handler: listProviders,
  },
  {
    method: 'POST', path: '/providers', operationId: 'createProvider', permission: 'providers.write', tag: 'providers', summary: 'Create a provider connection (the key is sealed and never returned)',
    body: CreateProviderBody, status: 201, response: ProviderResource, handler: postProvider,
  },
  {
    method: 'GET', path: '/providers/{id}', operationId: 'getProvider', permission: 'providers.read', tag: 'providers', summary: 'Get a provider connection',
    status: 200, response: ProviderResource, handler: getProvider,
  },
  {
    method: 'PATCH', path: '/providers/{id}', operationId: 'updateProvider', permission: 'providers.write', tag: 'providers', summary: 'Update a provider connection (replace its key, base URL, settings or name)',
    body: UpdateProviderBody, status: 200, response: ProviderResource, handler: patchProvider,
  },
  {
    method: 'DELETE', path: '/providers/{id}', operationId: 'deleteProvider', permission: 'providers.write', tag: 'providers', summary: 'Delete a provider connection',
    status: 204, handler: removeProvider,
  },
  {
    method: 'POST', path: '/providers/{id}/test', operationId: 'testProvider', tag: 'providers', permission: 'providers.write',
    summary: 'Test a connection: call the provider\'s cheapest authenticated endpoint with the stored key (10 s timeout, SSRF-guarded); 200 with ok=false when the provider refuses or cannot be reached',
    status: 200, response: ConnectionTestResult, handler: postProviderTest,
  },
  {
    method: 'GET', path: '/virtual-keys', operationId: 'listVirtualKeys', permission: 'virtualKeys.read', tag: 'virtual-keys', summary: 'List live virtual keys',
    query: ListQuery, status: 200, response: listOf(VirtualKeyResource), handler: listVirtualKeys,
  },
  {
    method: 'POST', path: '/virtual-keys', operationId: 'createVirtualKey', permission: 'virtualKeys.write', tag: 'virtual-keys', summary: 'Create a virtual key (the key is shown only in this response). Limits (rpm, tpm, budget) are stored now and enforced once budgets land',
    body: CreateVirtualKeyBody, status: 201, response: CreatedVirtualKeyResource, handler: postVirtualKey,
  },
  {
    method: 'GET', path: '/virtual-keys/{id}', operationId: 'getVirtualKey', permission: 'virtualKeys.read', tag: 'virtual-keys', summary: 'Get a virtual key',
    status: 200, response: VirtualKeyResource, handler: getVirtualKey,
  },
  {
    method: 'PATCH', path: '/virtual-keys/{id}', operationId: 'updateVirtualKey', tag: 'virtual-keys', permission: 'virtualKeys.write',
    summary: 'Update a virtual key (name, allowed models, expiry, metadata, limits, owner). Limits are stored now and enforced once budgets land',
    body: UpdateVirtualKeyBody, status: 200, response: VirtualKeyResource, handler: patchVirtualKey,
  },
  {
    method: 'POST', path: '/virtual-keys/{id}/rotate', operationId: 'rotateVirtualKey', tag: 'virtual-keys', permission: 'virtualKeys.write',
    summary: 'Rotate a virtual key: a new key with the same settings (shown only in this response); the old one keeps working for gracePeriodSeconds',
    body: RotateVirtualKeyBody, status: 201, response: CreatedVirtualKeyResource, handler: postVirtualKeyRotation,
  },
  {
    method: 'DELETE', path: '/virtual-keys/{id}', operationId: 'revokeVirtualKey', permission: 'virtualKeys.write', tag: 'virtual-keys', summary: 'Revoke a virtual key',
    status: 204, handler: deleteVirtualKey,
  },
  {
    method: 'GET', path: '/logs', operationId: 'listLogs', permission: 'logs.read', tag: 'logs', summary: 'List request logs, newest first, optionally filtered by time range, status, outcome, model, provider and virtual key',
    query: LogListQuery, status: 200, response: listOf(RequestLogResource), handler: listLogs,
  },
  {
    method: 'GET', path: '/logs/{id}', operationId: 'getLog', permission: 'logs.read', tag: 'logs', summary: 'Get a request log',
    status: 200, response: RequestLogResource, handler: getLog,
  },
  ...TEAM_ROUTES,
  ...ROUTE_ROUTES,
]
