import { APPROVAL_KEY_PLACEHOLDER, type PolicySources } from '../core/policy/sources';

/** Where the gateway keeps policy, as decisions name it: keys of its configuration file. */
export function gatewayPolicySources(configFile: string): PolicySources {
  return {
    userRules: `"policy.rules" in ${configFile}`,
    approvals: `list "${APPROVAL_KEY_PLACEHOLDER}" in "approvals" in ${configFile}`,
  };
}
