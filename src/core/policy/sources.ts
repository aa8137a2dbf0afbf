/**
 * Where a front end keeps the policy, named the way its users edit it. Decisions and refusals use
 * these names to say how to change an answer: the extension names its settings, the gateway the
 * keys of its configuration file. The core itself knows neither.
 */
export interface PolicySources {
  /** Where the user's rules live, e.g. `the setting warden.policy.rules`. */
  readonly userRules: string;
  /** Where the workspace's rules live (they can only tighten), for front ends that have them. */
  readonly workspaceRules?: string;
  /**
   * How to approve a tool in advance, as an imperative; APPROVAL_KEY_PLACEHOLDER in it stands for
   * the tool's key, e.g. `list "<server>/<tool>" in "approvals" in warden.json`.
   */
  readonly approvals: string;
}

/** Replaced with the tool's approval key (`server/tool`) where a refusal says how to approve it. */
export const APPROVAL_KEY_PLACEHOLDER = '<server>/<tool>';
