import { APPROVAL_KEY_PLACEHOLDER, type PolicySources } from '../../core/policy/sources';

/** Where the extension keeps policy, as decisions name it: its settings and the workspace file. */
export const EXTENSION_POLICY_SOURCES: PolicySources = {
  userRules: 'the setting warden.policy.rules',
  workspaceRules: "this workspace's .vscode/warden.json",
  approvals: `answer "Always allow" for ${APPROVAL_KEY_PLACEHOLDER} when Warden asks in VS Code (in Copilot chat or @warden)`,
};
