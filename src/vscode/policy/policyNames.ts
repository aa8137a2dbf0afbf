import type { PolicySources } from '../../core/policy/sources';

/** Where the extension keeps policy, as decisions name it: its settings and the workspace file. */
export const EXTENSION_POLICY_SOURCES: PolicySources = {
  userRules: 'the setting warden.policy.rules',
  workspaceRules: "this workspace's .vscode/warden.json",
  approvals: 'approve the tool in VS Code',
};
