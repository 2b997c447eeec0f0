import { getLog, listLogs } from './routes/logs.server.ts'
import { getProvider, listProviders, patchProvider, postProvider, removeProvider } from './routes/providers.server.ts'
import { deleteVirtualKey, getVirtualKey, listVirtualKeys, postVirtualKey } from './routes/virtual-keys.server.ts'
import type { RouteDefinition } from './router.server.ts'
import {
  CreatedVirtualKeyResource,
  CreateProviderBody,
  CreateVirtualKeyBody,
  listOf,
  ListQuery,
  ProviderResource,
  RequestLogResource,
  UpdateProviderBody,
  VirtualKeyResource,
} from './schemas.ts'

// Every admin API operation, in one table: the router dispatches from it and openapi.json is
// generated from it.
export const ADMIN_ROUTES: RouteDefinition[] = [
  {
    method: 'GET', path: '/providers', operationId: 'listProviders', tag: 'providers', summary: 'List provider connections',
    query: ListQuery, status: 200, response: listOf(ProviderResource), handler: listProviders,
  },
  {
    method: 'POST', path: '/providers', operationId: 'createProvider', tag: 'providers', summary: 'Create a provider connection (the key is sealed and never returned)',
    body: CreateProviderBody, status: 201, response: ProviderResource, handler: postProvider,
  },
  {
    method: 'GET', path: '/providers/{id}', operationId: 'getProvider', tag: 'providers', summary: 'Get a provider connection',
    status: 200, response: ProviderResource, handler: getProvider,
  },
  {
    method: 'PATCH', path: '/providers/{id}', operationId: 'updateProvider', tag: 'providers', summary: 'Update a provider connection (replace its key, base URL, settings or name)',
    body: UpdateProviderBody, status: 200, response: ProviderResource, handler: patchProvider,
  },
  {
    method: 'DELETE', path: '/providers/{id}', operationId: 'deleteProvider', tag: 'providers', summary: 'Delete a provider connection',
    status: 204, handler: removeProvider,
  },
  {
    method: 'GET', path: '/virtual-keys', operationId: 'listVirtualKeys', tag: 'virtual-keys', summary: 'List live virtual keys',
    query: ListQuery, status: 200, response: listOf(VirtualKeyResource), handler: listVirtualKeys,
  },
  {
    method: 'POST', path: '/virtual-keys', operationId: 'createVirtualKey', tag: 'virtual-keys', summary: 'Create a virtual key (the key is shown only in this response)',
    body: CreateVirtualKeyBody, status: 201, response: CreatedVirtualKeyResource, handler: postVirtualKey,
  },
  {
    method: 'GET', path: '/virtual-keys/{id}', operationId: 'getVirtualKey', tag: 'virtual-keys', summary: 'Get a virtual key',
    status: 200, response: VirtualKeyResource, handler: getVirtualKey,
  },
  {
    method: 'DELETE', path: '/virtual-keys/{id}', operationId: 'revokeVirtualKey', tag: 'virtual-keys', summary: 'Revoke a virtual key',
    status: 204, handler: deleteVirtualKey,
  },
  {
    method: 'GET', path: '/logs', operationId: 'listLogs', tag: 'logs', summary: 'List request logs, newest first',
    query: ListQuery, status: 200, response: listOf(RequestLogResource), handler: listLogs,
  },
  {
    method: 'GET', path: '/logs/{id}', operationId: 'getLog', tag: 'logs', summary: 'Get a request log',
    status: 200, response: RequestLogResource, handler: getLog,
  },
]
