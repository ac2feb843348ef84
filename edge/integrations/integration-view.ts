/**
 * What `GET /v1/admin/integrations` shows of one provider: its configuration with credentials
 * masked, and what the admin page renders its card from (title, origin, credential fields from
 * the provider's schema, where its receipt URL goes).
 */
import type { Deps } from '../deps.js'
import { callbackUrl } from '../messages/webhook-token.js'
import { definitionOf, fieldsOf, type CredentialField } from '../providers/index.js'
import type { ProviderName } from '../providers/registry.js'
import { CREDENTIALS, DEFAULT_PRIORITY, type IntegrationView } from './integration-schemas.js'
import { channelsOf, openCredentials, type StoredIntegration } from './integrations.js'

/** The credential fields of a provider, as its schema declares them (computed once). */
const FIELDS = new Map<ProviderName, CredentialField[]>()
function fieldsFor(provider: ProviderName): CredentialField[] {
  let fields = FIELDS.get(provider)
  if (!fields) FIELDS.set(provider, (fields = fieldsOf(CREDENTIALS[provider])))
  return fields
}

/** `••••1234` for a value of 12 characters or more (a third at most shows), else `••••`. */
export function maskValue(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : '••••'
}

export async function viewOf(
  deps: Deps,
  provider: ProviderName,
  stored: StoredIntegration | undefined,
): Promise<IntegrationView> {
  const credentials = stored?.sealed ? await openCredentials(deps, stored) : null
  return {
    provider,
    enabled: stored?.enabled ?? false,
    priority: stored?.priority ?? DEFAULT_PRIORITY,
    voice: stored?.voice ?? false,
    failoverAfterTimeout: stored?.failoverAfterTimeout ?? false,
    baseUrl: stored?.baseUrl ?? null,
    channels: channelsOf(provider),
    credentials: credentials
      ? Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k, maskValue(v)]))
      : null,
    missing: fieldsFor(provider)
      .filter((f) => f.required && !credentials?.[f.key])
      .map((f) => f.key),
    callbackUrl: callbackUrl(deps, provider) ?? null,
    updatedAt: stored?.updatedAt ? new Date(stored.updatedAt).toISOString() : null,
    ...presentation(provider),
  }
}

/** What the admin page renders a provider's card from: its title, origin and credential fields. */
function presentation(provider: ProviderName) {
  const d = definitionOf(provider)
  return {
    title: d?.title ?? 'Console (development)',
    origin: d?.client.origin ?? null,
    fields: fieldsFor(provider),
    receiptsHelp: d?.receipts?.portalHint ?? null,
  }
}
