// Workspace trust (Restricted Mode): what Wire Lens does in a workspace the user has not trusted. Plain data and
// functions (no vscode import) so the decision is unit-tested; the glue passes `workspace.isTrusted` in.
//
// Restricted Mode keeps: highlighting, parsing, diagnostics, hover, completion, and sending the requests you click.
// It withholds what a cloned repository could turn against you: scripts, env files outside the workspace folder
// (and the process environment, which `{{$processEnv NAME}}` would send anywhere), and client certificates (your
// identity, presented to whatever server the file names). Settings a repository must not set are declared
// `restrictedConfigurations` and `machine` scope in package.json, so VS Code ignores a workspace's values for them.
import type { ResolveContext } from '../language';
import type { SendOptions } from '../wire';

export interface TrustPolicy {
  trusted: boolean;
  /** Pre-request and response scripts run. */
  scripts: boolean;
  /** Env files are read (only inside the workspace folder when false: none for a file outside it). */
  envFilesOutsideWorkspace: boolean;
  /** `{{$processEnv NAME}}` reads the process environment. */
  processEnv: boolean;
  /** Client certificates from the settings are presented. */
  clientCertificates: boolean;
}

export function trustPolicy(trusted: boolean): TrustPolicy {
  return { trusted, scripts: trusted, envFilesOutsideWorkspace: trusted, processEnv: trusted, clientCertificates: trusted };
}

/** The resolve context a document gets under the policy: `inWorkspace` says whether it lies in a workspace folder. */
export function restrictContext(ctx: ResolveContext, policy: TrustPolicy, inWorkspace: boolean): ResolveContext {
  if (policy.trusted) return ctx;
  return {
    ...ctx,
    processEnv: {},
    // Env files only from the workspace folder (the search never goes above it); a file outside any folder gets none.
    ...(inWorkspace && ctx.workspaceRoot ? {} : { envFiles: false }),
  };
}

/** Engine options under the policy. */
export function restrictEngineOptions(opts: SendOptions, policy: TrustPolicy): SendOptions {
  if (policy.clientCertificates) return opts;
  return { ...opts, clientCertificates: undefined };
}

/** The sentence the status bar / a refused action shows in Restricted Mode. */
export const RESTRICTED_NOTE =
  'Restricted Mode: Wire Lens sends the requests you click, without scripts, env files outside the workspace, the process environment or client certificates. Trust the workspace to use them.';
