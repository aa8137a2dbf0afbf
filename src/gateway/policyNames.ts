import type { PolicySources } from '../core/policy/sources';

/** Where the gateway keeps policy, as decisions name it: keys of its configuration file. */
export function gatewayPolicySources(configFile: string): PolicySources {
  return {
    userRules: `"policy.rules" in ${configFile}`,
    approvals: `list it as "<server>/<tool>" in "approvals" in ${configFile}`,
  };
}
