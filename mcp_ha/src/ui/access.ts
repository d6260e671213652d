// Section 6 of the page: who may connect (API key names, OAuth grants once OAuth exists) and the
// effective policy in words.
import type { Config } from '../config/schema.js';
import { SENSITIVE_SERVICES } from '../policy/defaults.js';

const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : 'none');

export function accessOf(config: Config) {
  const p = config.policy;
  const words: string[] = [];
  if (p.readOnly) words.push('Read-only: every service call is refused (read_only).');
  else {
    words.push(`Allowed services: ${list(p.allowedServices)} (allowed_services).`);
    words.push(p.blockedServices.length ? `Blocked, whatever else says: ${list(p.blockedServices)} (blocked_services).` : 'No service is blocked beyond the built-in rules (blocked_services).');
    words.push(`Asking the user first: ${list(p.confirmServices)} (confirm_services), and always ${SENSITIVE_SERVICES.join(', ')} and opening a door, gate or garage.`);
    words.push(`A confirmation waits ${Math.round(p.confirmationTimeoutMs / 1000)} s (confirmation_timeout_seconds).`);
    words.push(
      config.ui.pageApprovals
        ? 'Clients that cannot ask their user wait for an administrator on this page (page_approvals).'
        : 'Clients that cannot ask their user get a confirm_token to repeat the call with (page_approvals is off).',
    );
  }
  words.push(`Toolsets offered: ${list(config.toolsets)}.`);
  return {
    api_keys: config.apiKeys.map((k) => k.name),
    // OAuth is not part of this server yet: the page shows an empty state instead of grants.
    oauth: { available: false, grants: [] as { user: string; client: string }[] },
    policy: { read_only: p.readOnly, allowed: p.allowedServices, blocked: p.blockedServices, confirm: p.confirmServices, toolsets: config.toolsets, page_approvals: config.ui.pageApprovals, words },
  };
}
