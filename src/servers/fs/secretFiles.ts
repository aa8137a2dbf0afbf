/**
 * Files inside the workspace that may hold credentials are denied by default. A rule is a glob
 * matched, without regard to case, against any run of whole names in a path relative to its
 * workspace folder, and it covers everything beneath what it matches: `.git` denies `.git`,
 * `sub/.git/config` and every other file under a `.git` directory; `.aws/credentials` denies that
 * file at any depth. An exemption (`allow`) uses the same matching and wins over every rule.
 */
import { compileGlob, splitPath, type Glob } from './glob';

/** Names that commonly hold credentials, keys or tokens. */
export const DEFAULT_SECRET_RULES: readonly string[] = [
  '.env*',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.keystore',
  '*.jks',
  '*.kdbx',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '.ssh',
  '.gnupg',
  '.git',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '_netrc',
  '.pgpass',
  '.htpasswd',
  '.aws/credentials',
  '.azure',
  '.kube/config',
  '.docker/config.json',
  'credentials.json',
  '*.tfstate',
  '*.tfstate.*',
  '*.tfvars',
];

export interface SecretPolicyOptions {
  /** Start from DEFAULT_SECRET_RULES (true unless --no-default-deny). */
  readonly useDefaults: boolean;
  /** Further rules (--deny). */
  readonly deny: readonly string[];
  /** Exemptions (--allow-secret). */
  readonly allow: readonly string[];
}

interface Rule {
  readonly source: string;
  readonly glob: Glob;
}

export class SecretPolicy {
  private constructor(
    private readonly denyRules: readonly Rule[],
    private readonly allowRules: readonly Rule[],
  ) {}

  /** Throws a GlobError naming the pattern when one cannot be compiled. */
  static create(options: SecretPolicyOptions): SecretPolicy {
    const deny = [...(options.useDefaults ? DEFAULT_SECRET_RULES : []), ...options.deny];
    return new SecretPolicy(unique(deny).map(compileRule), unique(options.allow).map(compileRule));
  }

  static defaults(): SecretPolicy {
    return SecretPolicy.create({ useDefaults: true, deny: [], allow: [] });
  }

  get rules(): readonly string[] {
    return this.denyRules.map((r) => r.source);
  }

  get exemptions(): readonly string[] {
    return this.allowRules.map((r) => r.source);
  }

  /**
   * The rule that denies any of `relatives` (paths relative to a workspace folder, `/`-separated),
   * or undefined when none does. A path an exemption matches is never denied.
   */
  ruleFor(...relatives: readonly string[]): string | undefined {
    for (const relative of relatives) {
      if (relative === '') continue;
      // Split once for every rule: all of them compare without regard to case.
      const split = splitPath(relative, true);
      if (this.allowRules.some((r) => r.glob.matchesSplit(split))) continue;
      const rule = this.denyRules.find((r) => r.glob.matchesSplit(split));
      if (rule !== undefined) return rule.source;
    }
    return undefined;
  }
}

function compileRule(source: string): Rule {
  return { source, glob: compileGlob(source, { nocase: true, anyDepth: true }) };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** The message a model sees when a rule denies a path. */
export function secretDeniedMessage(rule: string, shown: string): string {
  return (
    `Denied by the secret-file rule ${JSON.stringify(rule)}: ${shown} may hold credentials. ` +
    'To allow it, add it to the setting warden.filesystem.allowedSecretFiles.'
  );
}
