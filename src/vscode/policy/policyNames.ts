import { APPROVAL_KEY_PLACEHOLDER, type PolicySources } from '../../core/policy/sources';

/** The palette title of the command that approves a tool in advance (commands/allowTool.ts). */
export const ALLOW_TOOL_TITLE = 'Warden: Always Allow a Tool for Models…';

/** Where the extension keeps policy, as decisions name it: its settings and the workspace file. */
export const EXTENSION_POLICY_SOURCES: PolicySources = {
  userRules: 'the setting warden.policy.rules',
  workspaceRules: "this workspace's .vscode/warden.json",
  approvals: `allow ${APPROVAL_KEY_PLACEHOLDER} with "${ALLOW_TOOL_TITLE}" in VS Code (or answer "Always allow" when Warden asks there)`,
};
