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
  /** How to approve a tool in advance, as an imperative, e.g. `approve the tool in VS Code`. */
  readonly approvals: string;
}
